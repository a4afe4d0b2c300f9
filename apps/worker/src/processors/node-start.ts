import { CloudError, ConfigurationError } from '@elastiq/core';
import { NodeStartPayloadSchema, nodeProbeJobId, nodeProbeJobName, type NodeProbePayload, PAYLOAD_VERSION, parseJobPayload } from '@elastiq/queue';
import { UnrecoverableError } from 'bullmq';
import { GenerationState } from '../generation-state';
import { comeBackAt, processorOf } from '../job-control';
import { jobProgress } from '../job-progress';
import type { LaunchCoalescer, LaunchOutcome } from '../launch-coalescer';
import { launchLogLine } from '../launch-log';
import type { NameTagger } from '../name-tagger';
import { readNodeJobRecord } from '../node-job-record';
import { promoteCoordinatorAfterReport } from '../start-evaluation';
import type { WorkerDependencies } from '../worker-dependencies';

/**
 * Gets the node an instance (through the worker's launch coalescer), hands over to its probe job
 * and has it named in the background. Capacity shortages are waited out as a step job until the deadline; a refusal
 * that waiting cannot fix (quota, bad configuration) fails the node at once, which may make the
 * outcome of the whole start certain.
 */
export function nodeStartProcessor(deps: WorkerDependencies, coalescer: LaunchCoalescer, names: NameTagger) {
  return processorOf(async (job, token) => {
    const payload = parseJobPayload(NodeStartPayloadSchema, job);
    const log = deps.log.child({ cluster: payload.cluster, node: payload.node, jobId: job.id });
    const state = new GenerationState(deps.redis, deps.prefix, payload.cluster, payload.generation);
    const current = await readNodeJobRecord(deps.repository, deps.redis, payload.cluster);
    if (current === null || current.record.generation !== payload.generation) return { skipped: 'superseded by another start or a stop' };
    const { record } = current;
    if ((await state.decision()) !== null) return { skipped: 'the start is already decided' };
    const node = current.node(payload.node);
    if (node === undefined) throw new UnrecoverableError(`node \`${payload.node}\` is not in the record of cluster \`${payload.cluster}\``);
    if (await state.hasResult(node.name)) return { skipped: 'the node already reported' };
    /** After this node's report: wake the coordinator if the start's outcome is now certain. */
    const promoteAfter = (outcome: 'up' | 'down' | 'failed') => promoteCoordinatorAfterReport(deps, state, record, outcome, current.nodeCount);
    const progress = jobProgress(job, { cluster: record.name, node: node.name, kind: node.kind });

    await progress('launching');
    const outcome: LaunchOutcome = await coalescer.launch(record, node).catch((error: unknown) => {
      // What waiting cannot fix fails the node now, so the start's outcome can become certain.
      if (error instanceof ConfigurationError || (error instanceof CloudError && !error.retryable && error.code !== 'IdempotentParameterMismatch')) {
        return { kind: 'not-launched' as const, retry: false, reason: error.toUserLine(), ...(error instanceof CloudError ? { code: error.code } : {}) };
      }
      throw error;
    });
    await job.log(launchLogLine(outcome));
    if (outcome.kind === 'launched') {
      const probe: NodeProbePayload = { v: PAYLOAD_VERSION, cluster: record.name, generation: record.generation, node: node.name, kind: node.kind, round: 0 };
      await deps.queues.nodeProbe.add(nodeProbeJobName(record.name, node.name), probe, {
        jobId: nodeProbeJobId(record.name, record.generation, node.name),
        delay: deps.tuning.probeFirstDelayMs,
      });
      // The Name tag follows in the background: the probe above does not wait for it.
      await names.request(record, node.name, outcome.instanceId);
      await progress('launched', { instanceId: outcome.instanceId, batchId: outcome.call?.batchId ?? null });
      return { instanceId: outcome.instanceId };
    }

    await state.noteError(node.name, outcome.reason);
    const refusal = { reason: outcome.reason, ...(outcome.code !== undefined ? { code: outcome.code } : {}) };
    const retryAt = Date.now() + deps.tuning.capacityRetryMs;
    if (outcome.retry && retryAt < (await state.deadline())) {
      log.info(refusal, 'launch postponed');
      await progress('waiting-for-capacity', refusal);
      return comeBackAt(job, token, retryAt);
    }
    log.warn(refusal, 'node failed to launch');
    await progress('failed', refusal);
    await state.reportResult(node.name, 'failed', outcome.reason);
    await promoteAfter('failed');
    return { failed: outcome.reason };
  });
}
