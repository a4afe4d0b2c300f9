import { Cluster, type ClusterDict, reconcileWithCloud } from '@elastiq/core';
import { ClusterPausePayloadSchema, parseJobPayload, updateRecord } from '@elastiq/queue';
import { allNodes } from '../generation-state';
import { comeBackAt, processorOf } from '../job-control';
import { jobProgress } from '../job-progress';
import type { WorkerDependencies } from '../worker-dependencies';

/**
 * One per pause (cluster, generation, pause epoch). Stops every running instance of the record in
 * batched StopInstances calls, then comes back (a step job) until the cloud reports each one
 * stopped; only then is the cluster `paused`. Every sweep re-lists the cloud and re-sends
 * StopInstances to what still runs, so a retried or SIGKILLed job just does the next sweep.
 */
export function clusterPauseProcessor(deps: WorkerDependencies) {
  return processorOf(async (job, token) => {
    const payload = parseJobPayload(ClusterPausePayloadSchema, job);
    const record = (await deps.repository.get(payload.cluster))?.value;
    if (!isThisPause(record, payload)) return { skipped: 'the cluster is not pausing under this epoch (paused, resumed or stopped already)' };
    const progress = jobProgress(job, { cluster: record.name });
    const cloud = deps.cloudFor(record);
    const listed = new Map((await cloud.describeCluster(record.name)).map((instance) => [instance.instanceId, instance]));
    const toStop: string[] = [];
    let notStoppedYet = 0;
    const nodes = allNodes(record).filter((node) => node.instanceId !== null && node.state !== 'gone');
    for (const node of nodes) {
      const state = listed.get(node.instanceId as string)?.state;
      if (state === 'running') toStop.push(node.instanceId as string);
      // A pending instance cannot be stopped yet (IncorrectInstanceState); a stopping one is on its way.
      if (state === 'running' || state === 'pending' || state === 'stopping') notStoppedYet += 1;
    }
    if (toStop.length > 0) {
      await cloud.stop(toStop);
      await job.log(`sweep ${payload.sweep}: StopInstances for ${toStop.length} instance(s)`);
    }
    await progress('stopping', { sweep: payload.sweep, stopped: nodes.length - notStoppedYet, of: nodes.length });
    if (notStoppedYet > 0) {
      if (payload.sweep >= deps.tuning.stopMaxSweeps) {
        throw new Error(`${notStoppedYet} instance(s) of \`${record.name}\` still not stopped after ${payload.sweep} sweeps (run \`elastiq pause ${record.name}\` again)`);
      }
      return comeBackAt(job, token, Date.now() + deps.tuning.sweepIntervalMs, { ...payload, sweep: payload.sweep + 1 });
    }
    let gone: string[] = [];
    await updateRecord(deps.repository, record.name, (current) => {
      if (!isThisPause(current, payload)) return null;
      const cluster = Cluster.fromDict(current);
      // Instances terminated behind elastiq's back are `gone` (named), not waited for.
      gone = reconcileWithCloud(cluster, [...listed.values()]).gone.map((entry) => entry.node);
      cluster.pauseFinished();
      return cluster.toDict();
    });
    await progress('paused', { sweep: payload.sweep, stopped: nodes.length - gone.length, of: nodes.length, gone });
    deps.log.info({ cluster: record.name, epoch: payload.epoch, gone }, 'cluster paused');
    return { paused: nodes.length - gone.length, gone };
  });
}

function isThisPause(record: ClusterDict | undefined, payload: { generation: number; epoch: number }): record is ClusterDict {
  return record !== undefined && record.generation === payload.generation && (record.pauseEpoch ?? 0) === payload.epoch && record.status === 'pausing';
}
