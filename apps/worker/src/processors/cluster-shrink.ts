import { ElastiqError } from '@elastiq/core';
import {
  type ClusterSetupPayload,
  ClusterShrinkPayloadSchema,
  clusterSetupJobId,
  clusterSetupJobName,
  PAYLOAD_VERSION,
  parseJobPayload,
  type ResizePlan,
  updateRecord,
} from '@elastiq/queue';
import type { Job } from 'bullmq';
import { allNodes, GenerationState } from '../generation-state';
import { processorOf } from '../job-control';
import type { WorkerDependencies } from '../worker-dependencies';

/**
 * `resize -r` and `remove-node`: terminates the plan's nodes in one batched TerminateInstances
 * (through the fleet's token buckets), then removes them from the record, which frees their
 * names, and hands over to setup. Terminating twice is harmless and the record is changed only
 * while it says `resizing` for this generation, so a retried or duplicated job acts once.
 */
export function clusterShrinkProcessor(deps: WorkerDependencies) {
  return processorOf(async (job) => {
    const payload = parseJobPayload(ClusterShrinkPayloadSchema, job);
    const record = (await deps.repository.get(payload.cluster))?.value;
    if (record === undefined || record.generation !== payload.generation || record.status !== 'resizing') {
      return { skipped: 'the resize is over (done, or the cluster is being stopped)' };
    }
    const state = new GenerationState(deps.redis, deps.prefix, record.name, record.generation);
    const plan = await state.plan();
    if (plan?.action !== 'shrink') throw new ElastiqError(`generation ${record.generation} of cluster \`${record.name}\` has no shrink plan`);
    const log = deps.log.child({ cluster: record.name, generation: record.generation, jobId: job.id });
    const removing = new Set(plan.remove);
    const instanceIds = allNodes(record)
      .filter((node) => removing.has(node.name) && node.instanceId !== null)
      .map((node) => node.instanceId as string);
    await job.updateProgress({ step: 'terminating', cluster: record.name, nodes: plan.remove, instances: instanceIds.length });
    try {
      await deps.cloudFor(record).terminate(instanceIds);
    } catch (error) {
      await giveUpIfLastAttempt(deps, job, record.name, record.generation, plan, error);
      throw error;
    }
    await job.log(`terminated ${instanceIds.length} instance(s) in one call: ${instanceIds.join(', ') || 'none'} (${plan.remove.join(', ')})`);
    const updated = await updateRecord(deps.repository, record.name, (cluster) => {
      if (cluster.generation !== record.generation || cluster.status !== 'resizing') return null;
      for (const [kind, nodes] of Object.entries(cluster.nodes)) cluster.nodes[kind] = nodes.filter((node) => !removing.has(node.name));
      cluster.status = plan.runSetup ? 'setting-up' : plan.previousStatus;
      cluster.statusReason = `resize ${plan.summary}: removed ${plan.remove.join(', ')}`;
      return cluster;
    });
    if (plan.runSetup && updated?.status === 'setting-up' && updated.generation === record.generation) {
      const setup: ClusterSetupPayload = { v: PAYLOAD_VERSION, cluster: record.name, generation: record.generation };
      await deps.queues.clusterSetup.add(clusterSetupJobName(record.name), setup, { jobId: clusterSetupJobId(record.name, record.generation) });
    }
    await job.updateProgress({ step: plan.runSetup ? 'setting-up' : 'done', cluster: record.name, nodes: plan.remove, instances: instanceIds.length });
    log.info({ removed: plan.remove, terminated: instanceIds.length }, 'nodes removed');
    return { removed: plan.remove, terminated: instanceIds };
  });
}

/** A shrink that will not run again must not leave the cluster `resizing` for ever: say why and give it back its status. */
async function giveUpIfLastAttempt(deps: WorkerDependencies, job: Job, name: string, generation: number, plan: ResizePlan, error: unknown): Promise<void> {
  if (job.attemptsMade + 1 < (job.opts.attempts ?? 1)) return;
  const reason = error instanceof ElastiqError ? error.toUserLine() : error instanceof Error ? error.message : String(error);
  await updateRecord(deps.repository, name, (cluster) => {
    if (cluster.generation !== generation || cluster.status !== 'resizing') return null;
    cluster.status = plan.previousStatus;
    cluster.statusReason = `resize ${plan.summary} could not terminate its nodes (${reason}): run the command again`;
    return cluster;
  });
}
