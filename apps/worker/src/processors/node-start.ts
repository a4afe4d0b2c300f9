import { CloudError, ConfigurationError } from '@elastiq/core';
import { NodeStartPayloadSchema, nodeProbeJobId, nodeProbeJobName, type NodeProbePayload, PAYLOAD_VERSION } from '@elastiq/queue';
import { comeBackAt, processorOf } from '../job-control';
import type { LaunchCoalescer, LaunchOutcome } from '../launch-coalescer';
import { launchLogLine } from '../launch-log';
import { type NameTagger, namesPerNode } from '../name-tagger';
import { openNodeJob } from '../node-job-context';
import type { WorkerDependencies } from '../worker-dependencies';
import { ensureProbeWatch } from './probe-watch';

/**
 * Gets the node an instance (through the worker's launch coalescer), hands over to its probe job
 * and has it named in the background. Capacity shortages are waited out as a step job until the deadline; a refusal
 * that waiting cannot fix (quota, bad configuration) fails the node at once, which may make the
 * outcome of the whole start certain.
 */
export function nodeStartProcessor(deps: WorkerDependencies, coalescer: LaunchCoalescer, names: NameTagger) {
  return processorOf(async (job, token) => {
    const opening = await openNodeJob(deps, job, NodeStartPayloadSchema);
    if ('skipped' in opening) return opening;
    const { payload, log, state, record, node, generationSize, progress, promoteAfter } = opening.context;

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
      // The watcher wakes the probe when the cloud runs the instance (the probe parks till then).
      await ensureProbeWatch(deps, record.name, payload.generation);
      const probe: NodeProbePayload = { v: PAYLOAD_VERSION, cluster: record.name, generation: payload.generation, node: node.name, kind: node.kind, round: 0 };
      await deps.queues.nodeProbe.add(nodeProbeJobName(record.name, node.name), probe, {
        jobId: nodeProbeJobId(record.name, payload.generation, node.name),
        delay: deps.tuning.probeFirstDelayMs,
      });
      // The Name tag follows in the background: the probe above does not wait for it. A large
      // start's instances were named per kind at launch instead.
      if (namesPerNode(deps.tuning, generationSize)) await names.request(record, node.name, outcome.instanceId);
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
