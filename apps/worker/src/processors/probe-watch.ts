import { nodeProbeJobId, PAYLOAD_VERSION, ProbeWatchPayloadSchema, parseJobPayload, probeWatchJobId, probeWatchJobName } from '@elastiq/queue';
import { GenerationState } from '../generation-state';
import { comeBackAt, processorOf } from '../job-control';
import { jobProgress } from '../job-progress';
import { readNodeJobRecord } from '../node-job-record';
import { describedInstances } from '../shared-describe';
import type { WorkerDependencies } from '../worker-dependencies';

// A probe whose instance is still pending used to look at every shared snapshot (about once a
// second): at 10,000 nodes that was thousands of job rounds a second that learned nothing, and
// the probes of running nodes queued behind them. Now such a probe parks itself for long
// (awaitingRunning: instance → node) and this job, one per start or resize generation, looks
// at the snapshot once per max age and promotes the probes of the instances the cloud no longer
// reports pending. It drives the snapshot's refresh only while some probe waits, and it has its
// own queue, so it is not queued behind the probes it wakes.

/** Promotions in flight at once (each one reads the job, then promotes it). */
const PROMOTIONS_IN_FLIGHT = 100;

export function probeWatchProcessor(deps: WorkerDependencies) {
  return processorOf(async (job, token) => {
    const payload = parseJobPayload(ProbeWatchPayloadSchema, job);
    const state = new GenerationState(deps.redis, deps.prefix, payload.cluster, payload.generation);
    const done = (why: string) => ({ done: why, woken: payload.woken });
    if ((await state.decision()) !== null) return done('the start is decided');
    const current = await readNodeJobRecord(deps.repository, deps.redis, payload.cluster);
    if (current === null || (current.record.generation !== payload.generation && current.nodeCountOf(payload.generation) === 0)) {
      return done('superseded by another start, a resize or a stop');
    }
    // Past the deadline the probes report by themselves (their late look) and the coordinator decides.
    if (Date.now() >= (await state.deadline())) return done('past the deadline');

    const awaiting = Object.entries(await state.awaitingRunning());
    let woken = 0;
    if (awaiting.length > 0) {
      try {
        const listed = await describedInstances(
          deps,
          state,
          deps.cloudFor(current.record),
          awaiting.map(([instanceId]) => instanceId),
        );
        const due = awaiting.filter(([instanceId]) => {
          const instance = listed.get(instanceId);
          return instance !== undefined && instance.state !== 'pending';
        });
        for (let first = 0; first < due.length; first += PROMOTIONS_IN_FLIGHT) {
          const outcomes = await Promise.all(due.slice(first, first + PROMOTIONS_IN_FLIGHT).map(([instanceId, node]) => wake(deps, state, instanceId, node)));
          woken += outcomes.filter(Boolean).length;
        }
        await jobProgress(job, { cluster: payload.cluster })('watching', { awaiting: awaiting.length - woken, woken: payload.woken + woken });
      } catch (error) {
        // A slow or failing cloud is a reason to look again next round, not to use up the
        // watcher's attempts: once it fails for good, every parked probe waits for its late look.
        const reason = error instanceof Error ? error.message : String(error);
        deps.log.warn({ cluster: payload.cluster, generation: payload.generation, err: reason }, 'probe watcher: this round failed; trying again');
        await jobProgress(job, { cluster: payload.cluster })('watching', { awaiting: awaiting.length, woken: payload.woken + woken, error: reason });
      }
    }
    const next = woken > 0 ? { ...payload, woken: payload.woken + woken } : undefined;
    return comeBackAt(job, token, Date.now() + deps.tuning.describeMaxAgeMs, next);
  });
}

/**
 * Promotes the parked probe of `node`. Its entry is dropped once it is promoted or has no job; a
 * probe that is not parked right now (running, or queued) is left listed: it sees the instance
 * itself and drops the entry, or it parks again and the next round promotes it.
 */
async function wake(deps: WorkerDependencies, state: GenerationState, instanceId: string, node: string): Promise<boolean> {
  const probe = await deps.queues.nodeProbe.getJob(nodeProbeJobId(state.cluster, state.generation, node));
  if (probe === undefined) {
    await state.stopAwaitingRunning(instanceId);
    return false;
  }
  try {
    await probe.promote();
  } catch {
    return false;
  }
  await state.stopAwaitingRunning(instanceId);
  return true;
}

/** Generations this worker has already asked a watcher for (adding it again is a no-op, but a round trip per node). */
const watched = new WeakMap<WorkerDependencies, Set<string>>();
const WATCHED_REMEMBERED = 1000;

/** Makes sure the generation has its probe watcher (a deterministic id: one per generation, whoever adds it). */
export async function ensureProbeWatch(deps: WorkerDependencies, cluster: string, generation: number): Promise<void> {
  let seen = watched.get(deps);
  if (seen === undefined) {
    seen = new Set();
    watched.set(deps, seen);
  }
  const jobId = probeWatchJobId(cluster, generation);
  if (seen.has(jobId)) return;
  await deps.queues.probeWatch.add(probeWatchJobName(cluster, generation), { v: PAYLOAD_VERSION, cluster, generation, woken: 0 }, { jobId, delay: deps.tuning.describeMaxAgeMs });
  if (seen.size >= WATCHED_REMEMBERED) seen.clear();
  seen.add(jobId);
}
