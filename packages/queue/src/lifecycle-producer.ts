import { Cluster, ClusterBusy, type ClusterDict, ClusterNotFound, type ClusterStatus } from '@elastiq/core';
import type { ClusterRepository } from '@elastiq/store';
import type { Job, Queue } from 'bullmq';
import type { RedisConnection } from '@elastiq/redis';
import { addReplacingFinished } from './add-replacing-finished';
import type { FleetQueues } from './fleet-queues';
import { resumeKeys } from './fleet-keys';
import { clusterPauseJobId, clusterResumeJobId, clusterUpdateJobId } from './job-ids';
import { clusterPauseJobName, clusterResumeJobName, clusterUpdateJobName } from './job-names';
import { type ClusterPausePayload, type ClusterResumePayload, type ClusterUpdatePayload, PAYLOAD_VERSION } from './payloads';
import { updateRecord } from './update-record';

// The producer side of pause, resume and update. The decisions (may this cluster be paused, what
// is its next status) are core's Cluster methods; this writes them with a revision check and
// enqueues the job that does the cloud's part, with ids that make a re-sent command a no-op.

export interface LifecycleProducerDependencies {
  redis: RedisConnection;
  prefix: string;
  repository: ClusterRepository;
  queues: FleetQueues;
}

/**
 * Statuses in which nothing else writes the record, so `update` may. An allow-list: a status added
 * later (a resize's) is refused until someone decides otherwise.
 */
export const UPDATABLE_STATUSES: ReadonlySet<ClusterStatus> = new Set<ClusterStatus>(['ready', 'degraded', 'setup-failed', 'paused', 'failed']);

async function existingRecord(repository: ClusterRepository, name: string): Promise<ClusterDict> {
  const existing = await repository.get(name);
  if (existing === null) throw new ClusterNotFound(name);
  return existing.value;
}

/** `elastiq pause`: the cluster becomes `pausing` under a new epoch, and one job stops its instances. */
export async function pauseCluster(deps: LifecycleProducerDependencies, name: string): Promise<{ epoch: number; jobId: string }> {
  let record = await existingRecord(deps.repository, name);
  if (record.status !== 'pausing') {
    // A pause already recorded (its producer may have died before enqueueing) is finished, not begun again.
    const paused = await updateRecord(deps.repository, name, (current) => {
      const cluster = Cluster.fromDict(current);
      cluster.pause();
      return cluster.toDict();
    });
    if (paused === null) throw new ClusterNotFound(name);
    record = paused;
  }
  const epoch = record.pauseEpoch ?? 0;
  const jobId = clusterPauseJobId(name, record.generation, epoch);
  const payload: ClusterPausePayload = { v: PAYLOAD_VERSION, cluster: name, generation: record.generation, epoch, sweep: 0 };
  await addReplacingFinished(deps.queues.clusterPause, clusterPauseJobName(name), payload, jobId);
  return { epoch, jobId };
}

/** `elastiq resume`: the cluster becomes `resuming` with start_timeout to come back, and one job starts and probes it. */
export async function resumeCluster(deps: LifecycleProducerDependencies, name: string): Promise<{ epoch: number; jobId: string; deadline: number }> {
  let record = await existingRecord(deps.repository, name);
  if (record.status !== 'resuming') {
    const resumed = await updateRecord(deps.repository, name, (current) => {
      const cluster = Cluster.fromDict(current);
      cluster.resume(Date.now());
      return cluster.toDict();
    });
    if (resumed === null) throw new ClusterNotFound(name);
    record = resumed;
  }
  const epoch = record.pauseEpoch ?? 0;
  const deadline = record.startDeadline === null ? Date.now() + record.startTimeout * 1000 : Date.parse(record.startDeadline);
  await deps.redis.set(resumeKeys(deps.prefix, name, record.generation, epoch).deadline, String(deadline), 'NX');
  const jobId = clusterResumeJobId(name, record.generation, epoch);
  const payload: ClusterResumePayload = { v: PAYLOAD_VERSION, cluster: name, generation: record.generation, epoch, started: false };
  await addReplacingFinished(deps.queues.clusterResume, clusterResumeJobName(name), payload, jobId);
  return { epoch, jobId, deadline };
}

/**
 * `elastiq update`: one job lists the cluster's instances on a worker (which holds the cloud
 * credentials and the shared rate limits) and brings the record in line. Refused while a start,
 * setup, stop, pause or resume is writing the record.
 */
export async function updateCluster(deps: LifecycleProducerDependencies, name: string): Promise<{ jobId: string }> {
  const record = await existingRecord(deps.repository, name);
  if (!UPDATABLE_STATUSES.has(record.status)) {
    throw new ClusterBusy(name, record.status, 'be updated while that is in progress', { hint: 'run `elastiq update` again when it is done' });
  }
  const jobId = clusterUpdateJobId(name);
  const payload: ClusterUpdatePayload = { v: PAYLOAD_VERSION, cluster: name };
  await addReplacingFinished(deps.queues.clusterUpdate, clusterUpdateJobName(name), payload, jobId);
  return { jobId };
}

/** Polls a job until it is completed (its return value) or failed (throws its reason); throws after timeoutMs. */
export async function waitForJob<T>(queue: Queue, jobId: string, { timeoutMs, pollMs = 200 }: { timeoutMs: number; pollMs?: number }): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const job: Job | undefined = await queue.getJob(jobId);
    const state = job === undefined ? 'unknown' : await job.getState();
    if (state === 'completed') return job?.returnvalue as T;
    if (state === 'failed') throw new Error(job?.failedReason ?? `job ${jobId} failed`);
    if (Date.now() > deadline) throw new Error(`job ${jobId} is still ${state} after ${Math.round(timeoutMs / 1000)} s`);
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}
