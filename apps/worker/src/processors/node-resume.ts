import { HostKeyMismatch } from '@elastiq/core';
import { clusterResumeJobId, NodeResumePayloadSchema, type NodeResult, parseJobPayload } from '@elastiq/queue';
import { UnrecoverableError } from 'bullmq';
import { comeBackAt, processorOf } from '../job-control';
import { jobProgress } from '../job-progress';
import { readNodeJobRecord } from '../node-job-record';
import { nextPendingLookMs, nextProbeDelayMs } from '../probe-cadence';
import { probeTargetFor } from '../probe-target';
import { ResumeState } from '../resume-state';
import { describeInstance } from '../shared-describe';
import type { WorkerDependencies } from '../worker-dependencies';
import { resumedNodes } from './cluster-resume';

const ENDED = new Set(['shutting-down', 'terminated']);

/**
 * A step job per node of a resume: park until the shared listing of the whole cluster says the
 * instance runs (at whatever address the cloud gave it now), then probe that address against the
 * host key pinned at the first start. A changed key is refused for good, naming the node; a node
 * that does not answer before start_timeout is reported down with the last reason.
 */
export function nodeResumeProcessor(deps: WorkerDependencies) {
  return processorOf(async (job, token) => {
    const payload = parseJobPayload(NodeResumePayloadSchema, job);
    const state = new ResumeState(deps.redis, deps.prefix, payload.cluster, payload.generation, payload.epoch);
    const current = await readNodeJobRecord(deps.repository, deps.redis, payload.cluster);
    const record = current?.record;
    if (record === undefined || record.generation !== payload.generation || (record.pauseEpoch ?? 0) !== payload.epoch || record.status !== 'resuming') {
      return { skipped: 'the cluster is not resuming under this epoch' };
    }
    if ((await state.decision()) !== null) return { skipped: 'the resume is already decided' };
    const node = current?.node(payload.node);
    if (node === undefined || node.instanceId === null) throw new UnrecoverableError(`node \`${payload.node}\` of cluster \`${payload.cluster}\` has no instance to resume`);
    if (await state.hasResult(node.name)) return { skipped: 'the node already reported' };
    const progress = jobProgress(job, { cluster: record.name, node: node.name, kind: node.kind });
    const { round } = payload;

    const report = async (outcome: NodeResult['outcome'], reason: string | null, details: Partial<NodeResult> = {}) => {
      await job.log(`round ${round}: ${outcome}${reason ? `: ${reason}` : ''}`);
      await progress(outcome, { round, ...(reason ? { reason } : {}) });
      await state.reportResult(node.name, outcome, reason, details);
      // The last node to report wakes the resume's coordinator instead of it waiting for the deadline.
      if ((await state.reportedCount()) >= resumedNodes(record).length) {
        await (await deps.queues.clusterResume.getJob(clusterResumeJobId(record.name, record.generation, payload.epoch)))?.promote().catch(() => undefined);
      }
      return { [outcome]: reason ?? details.preferredIp ?? null };
    };
    const deadline = await state.deadline();
    const again = async (step: 'waiting-for-running' | 'probing', reason: string, delayMs: number, runningSince?: number) => {
      if (Date.now() + delayMs >= deadline) return report('down', `not back within start_timeout (${record.startTimeout} s): ${reason}`);
      await state.noteError(node.name, reason);
      await progress(step, { round, reason, nextInMs: delayMs });
      return comeBackAt(job, token, Date.now() + delayMs, { ...payload, round: round + 1, ...(runningSince !== undefined ? { runningSince } : {}) });
    };

    // The whole cluster, not one generation: nodes added by a resize carry their own generation tag.
    const scope = { keys: state.keys, cluster: record.name };
    const { instance, snapshotAgeMs } = await describeInstance(deps, scope, deps.cloudFor(record), node.instanceId);
    const pendingLookMs = nextPendingLookMs(deps.tuning, snapshotAgeMs);
    if (instance === undefined) return again('waiting-for-running', `instance ${node.instanceId} is not listed by the cloud`, pendingLookMs);
    if (ENDED.has(instance.state)) return report('failed', `instance ${node.instanceId} is ${instance.state}: terminated outside elastiq`);
    const host = instance.publicIp ?? instance.privateIp;
    if (instance.state !== 'running' || host === null) return again('waiting-for-running', `instance ${node.instanceId} is ${instance.state}`, pendingLookMs);
    const runningSince = payload.runningSince ?? Date.now();

    await progress('probing', { round, host });
    const result = await deps.probe(probeTargetFor(record, node, host));
    if (result.ok) {
      const ips = [instance.privateIp, instance.publicIp].filter((ip): ip is string => ip !== null);
      return report('up', null, { ips, preferredIp: host, hostKey: result.hostKey });
    }
    if (result.kind === 'host-key-mismatch') {
      const mismatch = new HostKeyMismatch(node.name, node.hostKey?.fingerprint ?? 'the pinned key', result.hostKey?.fingerprint ?? 'another key');
      return report('failed', `${mismatch.message} (at ${host})`);
    }
    return again('probing', `${result.kind}: ${result.reason}`, nextProbeDelayMs(deps.tuning, Date.now() - runningSince), runningSince);
  });
}
