import { TAG_NODE } from '@elastiq/cloud';
import { CloudError, ConfigurationError } from '@elastiq/core';
import { NodeStartPayloadSchema, nodeProbeJobId, type NodeProbePayload, PAYLOAD_VERSION, parseJobPayload } from '@elastiq/queue';
import { UnrecoverableError } from 'bullmq';
import { findNode, GenerationState } from '../generation-state';
import { comeBackAt, processorOf } from '../job-control';
import type { LaunchCoalescer } from '../launch-coalescer';
import { promoteCoordinatorIfCertain } from '../start-evaluation';
import type { WorkerDependencies } from '../worker-dependencies';

/**
 * Gets the node an instance (through the worker's launch coalescer), names it, and hands over to
 * its probe job. Capacity shortages are waited out as a step job until the deadline; a refusal
 * that waiting cannot fix (quota, bad configuration) fails the node at once, which may make the
 * outcome of the whole start certain.
 */
export function nodeStartProcessor(deps: WorkerDependencies, coalescer: LaunchCoalescer) {
  return processorOf(async (job, token) => {
    const payload = parseJobPayload(NodeStartPayloadSchema, job);
    const log = deps.log.child({ cluster: payload.cluster, node: payload.node, jobId: job.id });
    const state = new GenerationState(deps.redis, deps.prefix, payload.cluster, payload.generation);
    const record = (await deps.repository.get(payload.cluster))?.value;
    if (record === undefined || record.generation !== payload.generation) return { skipped: 'superseded by another start or a stop' };
    if ((await state.decision()) !== null) return { skipped: 'the start is already decided' };
    const node = findNode(record, payload.node);
    if (node === undefined) throw new UnrecoverableError(`node \`${payload.node}\` is not in the record of cluster \`${payload.cluster}\``);
    if ((await state.results())[node.name] !== undefined) return { skipped: 'the node already reported' };

    await job.updateProgress({ step: 'launching' });
    const outcome = await coalescer.launch(record, node).catch((error: unknown) => {
      // What waiting cannot fix fails the node now, so the start's outcome can become certain.
      if (error instanceof ConfigurationError || (error instanceof CloudError && !error.retryable && error.code !== 'IdempotentParameterMismatch')) {
        return { kind: 'not-launched' as const, retry: false, reason: error.toUserLine() };
      }
      throw error;
    });
    if (outcome.kind === 'launched') {
      await job.log(`instance ${outcome.instanceId} from launch batch ${outcome.batchId ?? '(unknown)'}`);
      // ElastiCluster names VMs <cluster>-<node>; EC2 tags are per call, so this follows the launch.
      await deps.cloudFor(record).tag([outcome.instanceId], { Name: `${record.name}-${node.name}`, [TAG_NODE]: node.name });
      const probe: NodeProbePayload = { v: PAYLOAD_VERSION, cluster: record.name, generation: record.generation, node: node.name, round: 0 };
      await deps.queues.nodeProbe.add('node-probe', probe, { jobId: nodeProbeJobId(record.name, record.generation, node.name), delay: deps.tuning.probeFirstDelayMs });
      await job.updateProgress({ step: 'launched', instanceId: outcome.instanceId });
      return { instanceId: outcome.instanceId };
    }

    await state.noteError(node.name, outcome.reason);
    await job.log(`not launched: ${outcome.reason}`);
    const retryAt = Date.now() + deps.tuning.capacityRetryMs;
    if (outcome.retry && retryAt < (await state.deadline())) {
      log.info({ reason: outcome.reason }, 'launch postponed');
      await job.updateProgress({ step: 'waiting for capacity', reason: outcome.reason });
      return comeBackAt(job, token, retryAt);
    }
    log.warn({ reason: outcome.reason }, 'node failed to launch');
    await state.reportResult(node.name, 'failed', outcome.reason);
    await promoteCoordinatorIfCertain(deps, state, record);
    return { failed: outcome.reason };
  });
}
