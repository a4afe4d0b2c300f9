import type { ClusterDict, NodeDict } from '@elastiq/core';
import {
  type ClusterSetupPayload,
  CoordinatorPayloadSchema,
  clusterSetupJobId,
  clusterSetupJobName,
  type CoordinatorPayload,
  generationOf,
  nodeStopJobId,
  nodeStopJobName,
  type NodeStopPayload,
  PAYLOAD_VERSION,
  parseJobPayload,
  type StoredDecision,
  updateRecord,
} from '@elastiq/queue';
import { DelayedError, type Job, UnrecoverableError } from 'bullmq';
import { abandonStart } from '../abandon-start';
import type { NameTagger } from '../name-tagger';
import { GenerationState } from '../generation-state';
import { asJobFailure, comeBackAt, processorOf } from '../job-control';
import { jobProgress, type ReportProgress } from '../job-progress';
import { recordedInstances, recordFailure, terminateEverything } from '../rollback';
import { evaluateStart, toStoredDecision } from '../start-evaluation';
import type { WorkerDependencies } from '../worker-dependencies';

/**
 * One per start, delayed until the deadline (kept in Redis, so it holds while every worker is
 * down) and promoted by node jobs as soon as the outcome is certain. The decision is stored with
 * SET NX and the coordinator acts on the stored one, so running twice acts twice the same way.
 */
export function clusterCoordinatorProcessor(deps: WorkerDependencies, names: NameTagger) {
  const coordinate = coordinateStart(deps, names);
  return processorOf(async (job, token) => {
    try {
      return await coordinate(job, token);
    } catch (error) {
      const final = asJobFailure(error) instanceof UnrecoverableError || job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
      if (!(error instanceof DelayedError) && final) {
        // Still inside the job: the rollback is done before BullMQ calls it failed. If the
        // rollback itself fails, the worker's `failed` event tries once more (fleet-worker.ts).
        await abandonStart(deps, job, job.attemptsMade + 1, error).catch((rollbackError: unknown) =>
          deps.log.error({ err: String(rollbackError), jobId: job.id }, 'rollback after the last attempt failed'),
        );
      }
      throw error;
    }
  });
}

function coordinateStart(deps: WorkerDependencies, names: NameTagger) {
  return async (job: Job, token: string | undefined) => {
    const payload = parseJobPayload(CoordinatorPayloadSchema, job);
    const state = new GenerationState(deps.redis, deps.prefix, payload.cluster, payload.generation);
    const record = (await deps.repository.get(payload.cluster))?.value;
    if (record === undefined) return { skipped: 'the cluster was stopped' };
    // A newer generation (a resize after this start, a restart) supersedes this one, except that
    // a failed generation's sweeps go on: they terminate by its own tag only, whatever came since.
    if (record.generation !== payload.generation && (await state.decision())?.decision !== 'failed') return { skipped: 'superseded by another start, a resize or a stop' };

    const generation = payload.generation;
    const progress = jobProgress(job, { cluster: record.name });
    const stored = await state.decision();
    if (stored === null) await progress('deciding', { generation });
    const decision = stored ?? (await decide(state, record, job, token, progress));
    await job.log(decision.summary);
    await progress(decision.decision, { generation, decision: decision.decision, keep: decision.keep.length, drop: decision.drop.length, sweep: payload.sweep });
    const log = deps.log.child({ cluster: record.name, generation, jobId: job.id });
    switch (decision.decision) {
      case 'stopped':
        return { decision: 'stopped' };
      case 'failed': {
        // Always this generation's tag, never the record's: a resize may have begun since.
        const { terminated } = await terminateEverything(deps.cloudFor(record), record.name, generation, await recordedInstances(state));
        log.warn({ terminated: terminated.length, sweep: payload.sweep }, 'start failed: rolled back');
        if (record.generation === generation) await recordFailure(deps, record, decision);
        if (payload.sweep < deps.tuning.sweepCount) {
          // Launches in flight at the decision may finish late: look again in a moment.
          return comeBackAt(job, token, Date.now() + deps.tuning.sweepIntervalMs, { ...payload, sweep: payload.sweep + 1 });
        }
        return { decision: 'failed', terminated };
      }
      default: {
        await keepAndContinue(deps, record, decision, payload);
        log.info({ decision: decision.decision, dropped: decision.drop }, 'start decided');
        // After the record says ready/setting-up: naming never delays the cluster.
        const named = await names.drain(record, decision.keep);
        if (named > 0) await job.log(`set the Name tag of ${named} instance(s) their start jobs had not named yet`);
        return { decision: decision.decision, dropped: decision.drop };
      }
    }
  };
}

async function decide(state: GenerationState, record: ClusterDict, job: Job, token: string | undefined, progress: ReportProgress): Promise<StoredDecision> {
  const outcome = await evaluateStart(state, record);
  if (outcome.decision === 'wait') {
    const deadline = await state.deadline();
    await progress('waiting-for-deadline', { generation: record.generation, deadline: new Date(deadline).toISOString() });
    await job.moveToDelayed(deadline, token);
    // A node may have reported between the evaluation and the move: its promotion found the job
    // active and did nothing, so look once more now that the job is parked.
    if ((await evaluateStart(state, record)).decision !== 'wait') await job.promote().catch(() => undefined);
    throw new DelayedError();
  }
  const [results, lastErrors, deadline] = await Promise.all([state.results(), state.lastErrors(), state.deadline()]);
  // A node still probing when the deadline passed is down for that reason, whether or not its
  // probe job got to say so before the coordinator woke (they race at the deadline).
  const stillProbing = (node: string) => results[node] === undefined && lastErrors[node] !== undefined && Date.now() >= deadline;
  const reasons: Record<string, string> = {};
  for (const node of outcome.drop) {
    reasons[node] = stillProbing(node)
      ? `not up before the deadline: ${lastErrors[node]}`
      : (results[node]?.reason ?? lastErrors[node] ?? (outcome.decision === 'failed' ? 'rolled back: the start failed' : 'not up before the deadline'));
  }
  return state.storeDecision(toStoredDecision(outcome, reasons));
}

async function keepAndContinue(deps: WorkerDependencies, record: ClusterDict, decision: StoredDecision, payload: CoordinatorPayload): Promise<void> {
  const generation = record.generation;
  const state = new GenerationState(deps.redis, deps.prefix, record.name, generation);
  // A resize decides on the nodes it adds only; the others are neither kept nor dropped here.
  const plan = await state.plan();
  // The dropped nodes' instances go first: they cost money and nobody will use them.
  await deps.queues.nodeStop.addBulk(
    decision.drop.map((node) => {
      const data: NodeStopPayload = { v: PAYLOAD_VERSION, cluster: record.name, generation: record.generation, node, reason: decision.reasons[node] ?? 'dropped' };
      return { name: nodeStopJobName(record.name, node), data, opts: { jobId: nodeStopJobId(record.name, record.generation, node) } };
    }),
  );
  const [results, instances] = await Promise.all([state.results(), state.instances()]);
  const keep = new Set(decision.keep);
  const ofGeneration = (cluster: ClusterDict, node: NodeDict) => generationOf(cluster, node) === generation;
  const settled = plan === null ? (decision.decision === 'ready' ? 'ready' : 'degraded') : plan.previousStatus;
  const updated = await updateRecord(deps.repository, record.name, (cluster) => {
    if (cluster.generation !== generation || cluster.status !== (plan === null ? 'starting' : 'resizing')) return null;
    for (const [kind, nodes] of Object.entries(cluster.nodes)) {
      // Dropped nodes leave the record: their names are free for a later resize.
      cluster.nodes[kind] = nodes.filter((node) => !ofGeneration(cluster, node) || keep.has(node.name));
      for (const node of cluster.nodes[kind]) {
        if (!ofGeneration(cluster, node)) continue;
        const result = results[node.name];
        node.state = 'up';
        node.instanceId = instances[node.name] ?? node.instanceId;
        node.ips = result?.ips ?? node.ips;
        node.preferredIp = result?.preferredIp ?? node.preferredIp;
        node.hostKey = result?.hostKey ?? node.hostKey;
        node.lastError = null;
      }
    }
    cluster.status = payload.runSetup ? 'setting-up' : settled;
    cluster.statusReason = plan === null ? decision.summary : `resize ${plan.summary}: ${decision.summary}`;
    cluster.startDeadline = null;
    return cluster;
  });
  if (payload.runSetup && updated?.status === 'setting-up') {
    const setup: ClusterSetupPayload = { v: PAYLOAD_VERSION, cluster: record.name, generation: record.generation };
    await deps.queues.clusterSetup.add(clusterSetupJobName(record.name), setup, { jobId: clusterSetupJobId(record.name, record.generation) });
  }
}
