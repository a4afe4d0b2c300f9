import { Cluster, type ClusterDict, decideResumeOutcome, type NodeDict, type NodeResumeResult } from '@elastiq/core';
import {
  addReplacingFinished,
  type ClusterResumePayload,
  ClusterResumePayloadSchema,
  type ClusterSetupPayload,
  clusterSetupJobId,
  clusterSetupJobName,
  type NodeResumePayload,
  nodeResumeJobId,
  nodeResumeJobName,
  PAYLOAD_VERSION,
  parseJobPayload,
  type StoredResumeDecision,
  updateRecord,
} from '@elastiq/queue';
import { DelayedError, type Job } from 'bullmq';
import { allNodes } from '../generation-state';
import { comeBackAt, processorOf } from '../job-control';
import { jobProgress } from '../job-progress';
import { ResumeState } from '../resume-state';
import { startWithRoom } from '../start-with-room';
import type { WorkerDependencies } from '../worker-dependencies';

/**
 * The coordinator of one resume, like a start's: it sends StartInstances in batches and adds one
 * node-resume job per node, then parks until start_timeout (node jobs promote it as soon as every
 * node reported). The decision (which nodes are back) is stored with SET NX and acted on as
 * stored; setup runs again only when a node that is back has a new address.
 */
export function clusterResumeProcessor(deps: WorkerDependencies) {
  return processorOf(async (job, token) => {
    const payload = parseJobPayload(ClusterResumePayloadSchema, job);
    const record = (await deps.repository.get(payload.cluster))?.value;
    const state = new ResumeState(deps.redis, deps.prefix, payload.cluster, payload.generation, payload.epoch);
    const stored = await state.decision();
    if (stored !== null) return act(deps, job, state, stored);
    if (!isThisResume(record, payload)) return { skipped: 'the cluster is not resuming under this epoch (resumed or stopped already)' };
    const progress = jobProgress(job, { cluster: record.name });
    const nodes = resumedNodes(record);
    const deadline = await state.deadline();
    if (!payload.started) {
      await progress('starting-instances', { nodes: nodes.length });
      const cloud = deps.cloudFor(record);
      const listed = new Map((await cloud.describeCluster(record.name)).map((instance) => [instance.instanceId, instance]));
      const toStart: string[] = [];
      for (const node of nodes) {
        const instance = listed.get(node.instanceId as string);
        if (instance === undefined || instance.state === 'terminated' || instance.state === 'shutting-down') {
          await state.reportResult(node.name, 'failed', `instance ${node.instanceId} is ${instance?.state ?? 'no longer listed'}: terminated outside elastiq`);
        } else if (instance.state === 'stopped') {
          toStart.push(instance.instanceId);
        } else if (instance.state === 'stopping') {
          // StartInstances refuses a stopping instance; a moment later it is stopped.
          await job.log(`instance ${instance.instanceId} (${node.name}) is still stopping: looking again`);
          return comeBackAt(job, token, Date.now() + deps.tuning.sweepIntervalMs);
        }
      }
      const refused = await startWithRoom(cloud, toStart);
      for (const node of nodes) {
        const reason = refused.get(node.instanceId as string);
        if (reason !== undefined) await state.reportResult(node.name, 'failed', reason);
      }
      await job.log(`StartInstances for ${toStart.length - refused.size} of ${toStart.length} instance(s)${refused.size > 0 ? ` (${refused.size} without room)` : ''}; probing ${nodes.length} node(s) against their pinned host keys`);
      await deps.queues.nodeResume.addBulk(
        nodes.map((node) => {
          const data: NodeResumePayload = { v: PAYLOAD_VERSION, cluster: record.name, generation: record.generation, epoch: payload.epoch, node: node.name, kind: node.kind, round: 0 };
          return { name: nodeResumeJobName(record.name, node.name), data, opts: { jobId: nodeResumeJobId(record.name, record.generation, payload.epoch, node.name) } };
        }),
      );
      await job.updateData({ ...payload, started: true } satisfies ClusterResumePayload);
    }
    const outcome = await evaluate(state, nodes, deadline);
    if (outcome.decision === 'wait') {
      await progress('waiting-for-nodes', { nodes: nodes.length, reported: await state.reportedCount(), deadline: new Date(deadline).toISOString() });
      await job.moveToDelayed(deadline, token);
      // Every node may have reported between the evaluation and the move: their promotion found
      // the job active, so look once more now that it is parked.
      if ((await evaluate(state, nodes, deadline)).decision !== 'wait') await job.promote().catch(() => undefined);
      throw new DelayedError();
    }
    const decision = await state.storeDecision({ decidedAt: Date.now(), back: outcome.back, notBack: outcome.notBack });
    return act(deps, job, state, decision);
  });
}

/** Nodes a resume brings back: every node with an instance the record does not know to be gone. */
export function resumedNodes(record: ClusterDict): NodeDict[] {
  return allNodes(record).filter((node) => node.instanceId !== null && node.state !== 'gone');
}

async function evaluate(state: ResumeState, nodes: readonly NodeDict[], deadline: number) {
  const [results, lastErrors] = await Promise.all([state.results(), state.lastErrors()]);
  const inputs = nodes.map((node) => ({
    name: node.name,
    outcome: results[node.name]?.outcome ?? ('pending' as const),
    reason: results[node.name]?.reason ?? lastErrors[node.name] ?? null,
  }));
  return decideResumeOutcome(inputs, Date.now() >= deadline);
}

/** Writes the stored decision into the record (once: later runs find it no longer resuming) and re-runs setup if it says so. */
async function act(deps: WorkerDependencies, job: Job, state: ResumeState, decision: StoredResumeDecision) {
  const results = await state.results();
  const inputs: NodeResumeResult[] = [
    ...decision.back.map((name) => ({ name, outcome: 'up' as const, ips: results[name]?.ips ?? [], preferredIp: results[name]?.preferredIp ?? null })),
    ...decision.notBack.map(({ name, reason }) => ({ name, outcome: results[name]?.outcome === 'failed' ? ('failed' as const) : ('down' as const), reason })),
  ];
  const updated = await updateRecord(deps.repository, state.cluster, (current) => {
    if (!isThisResume(current, { generation: state.generation, epoch: state.epoch })) return null;
    const cluster = Cluster.fromDict(current);
    cluster.resumeFinished(inputs, { decision: 'resumed', ...decision });
    return cluster.toDict();
  });
  await job.log(updated?.statusReason ?? 'resume decided');
  await job.updateProgress({ step: 'resumed', cluster: state.cluster, back: decision.back.length, notBack: decision.notBack.map((node) => node.name), attempt: job.attemptsMade + 1 });
  if (updated?.status === 'setting-up' && updated.generation === state.generation) {
    // A second run after a crash re-adds it only if it is not there; setup skips a cluster that is not setting-up.
    const setup: ClusterSetupPayload = { v: PAYLOAD_VERSION, cluster: state.cluster, generation: state.generation };
    await addReplacingFinished(deps.queues.clusterSetup, clusterSetupJobName(state.cluster), setup, clusterSetupJobId(state.cluster, state.generation));
  }
  deps.log.info({ cluster: state.cluster, epoch: state.epoch, back: decision.back.length, notBack: decision.notBack }, 'cluster resumed');
  return { back: decision.back, notBack: decision.notBack, status: updated?.status ?? null };
}

function isThisResume(record: ClusterDict | null | undefined, payload: { generation: number; epoch: number }): record is ClusterDict {
  return record != null && record.generation === payload.generation && (record.pauseEpoch ?? 0) === payload.epoch && record.status === 'resuming';
}
