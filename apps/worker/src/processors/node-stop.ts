import { NodeStopPayloadSchema, parseJobPayload } from '@elastiq/queue';
import { findNode, GenerationState } from '../generation-state';
import { processorOf } from '../job-control';
import type { WorkerDependencies } from '../worker-dependencies';

/**
 * Terminates one node's instance (a node dropped by a degraded start). Terminating an instance
 * twice is not an error, so a retry or a duplicate is harmless.
 */
export function nodeStopProcessor(deps: WorkerDependencies) {
  return processorOf(async (job) => {
    const payload = parseJobPayload(NodeStopPayloadSchema, job);
    const record = (await deps.repository.get(payload.cluster))?.value;
    if (record === undefined) return { skipped: 'the cluster record is gone (its stop terminated everything)' };
    const state = new GenerationState(deps.redis, deps.prefix, payload.cluster, payload.generation);
    const instanceId = (await state.instanceOf(payload.node)) ?? findNode(record, payload.node)?.instanceId ?? null;
    if (instanceId === null) return { skipped: 'the node has no instance' };
    await deps.cloudFor(record).terminate([instanceId]);
    await job.log(`terminated ${instanceId}: ${payload.reason}`);
    deps.log.info({ cluster: payload.cluster, node: payload.node, instanceId, reason: payload.reason }, 'node stopped');
    return { terminated: instanceId };
  });
}
