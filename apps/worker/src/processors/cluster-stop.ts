import { type ClusterDict, ElastiqError } from '@elastiq/core';
import {
  ClusterStopPayloadSchema,
  coordinatorJobId,
  generationKeys,
  generationOf,
  nodeProbeJobId,
  nodeStartJobId,
  parseJobPayload,
  probeWatchJobId,
  updateRecord,
} from '@elastiq/queue';
import { scanKeys } from '@elastiq/redis';
import { allNodes } from '../generation-state';
import { comeBackAt, processorOf } from '../job-control';
import { stillAlive, terminateEverything } from '../rollback';
import type { WorkerDependencies } from '../worker-dependencies';

/**
 * Terminates every instance the cloud reports for the cluster (all generations: a start still in
 * progress, a failed one, a ready one), then looks again until nothing is left and no launch of
 * the start is still in flight; only then is the record deleted (or at once with --force).
 * A step job: the re-checks do not hold a worker slot.
 */
export function clusterStopProcessor(deps: WorkerDependencies) {
  return processorOf(async (job, token) => {
    const payload = parseJobPayload(ClusterStopPayloadSchema, job);
    const enteredAt = new Date().toISOString();
    const log = deps.log.child({ cluster: payload.cluster, jobId: job.id, sweep: payload.sweep });
    const record = (await deps.repository.get(payload.cluster))?.value;
    if (record === undefined) return { skipped: 'already stopped' };

    if (payload.sweep === 0) await removeQueuedStartJobs(deps, record);
    let swept: Awaited<ReturnType<typeof terminateEverything>> = { terminated: [], seen: [] };
    let cloudFailure: string | null = null;
    try {
      // The record's own instance ids too: an imported cluster renamed with `import --rename`
      // keeps its instances' old cluster tag, which the tag-filtered listing looks for.
      swept = await terminateEverything(deps.cloudFor(record), record.name, undefined, recordedInstanceIds(record));
    } catch (error) {
      cloudFailure = error instanceof ElastiqError ? error.toUserLine() : error instanceof Error ? error.message : String(error);
      await updateRecord(deps.repository, record.name, (cluster) => ({ ...cluster, statusReason: `stop: ${cloudFailure}` }));
      // --force forgets a cluster even when its cloud refuses (ElastiCluster's meaning of it).
      if (!payload.force) throw error;
    }
    const alive = stillAlive(swept.seen);
    const inFlight = await launchesInFlight(deps, record);
    const states: Record<string, number> = {};
    for (const instance of alive) states[instance.state] = (states[instance.state] ?? 0) + 1;
    await job.log(
      `${enteredAt}..${new Date().toISOString()} sweep ${payload.sweep}: ${swept.terminated.length} terminated now, not yet terminated: ${JSON.stringify(states)}, launches in flight: ${inFlight}${cloudFailure ? `, cloud error: ${cloudFailure}` : ''}`,
    );
    await job.updateProgress({ step: 'terminating', alive: alive.length, inFlight, sweep: payload.sweep });
    await markTerminating(deps, record.name);

    const settled = cloudFailure === null && alive.length === 0 && inFlight === 0 && payload.sweep >= 1;
    const forgetAnyway = payload.force && payload.sweep >= 1;
    if (!settled && !forgetAnyway && payload.sweep < deps.tuning.stopMaxSweeps) {
      return comeBackAt(job, token, Date.now() + nextSweepDelayMs(deps.tuning.sweepIntervalMs, payload.sweep, inFlight, cloudFailure), {
        ...payload,
        sweep: payload.sweep + 1,
      });
    }
    if (!settled && !payload.force) {
      const ids = alive.map((instance) => `${instance.instanceId} (${instance.state})`).join(', ');
      const reason = `instances still not terminated: ${ids || 'none'}; launches in flight: ${inFlight}`;
      await updateRecord(deps.repository, record.name, (cluster) => ({ ...cluster, statusReason: reason }));
      throw new Error(`cluster \`${record.name}\` could not be stopped: ${reason} (run \`elastiq stop --force ${record.name}\` to forget it anyway)`);
    }
    await deps.repository.delete(record.name);
    await deleteFleetState(deps, record);
    log.info({ forced: !settled }, 'cluster stopped');
    return { stopped: record.name, forced: !settled };
  });
}

/** The first re-look after the terminate call: the cloud usually says `terminated` within about a second. */
const FIRST_RELOOK_MS = 1000;

/**
 * When the stop looks again. Only the cloud can say the instances are gone, so the stop asks it
 * soon after its terminate call (1 s, then 2 s, 4 s: a stop of N nodes is done when the cloud
 * says so, not a fixed interval later) and then every sweep interval. A launch in flight or a
 * cloud error waits a whole interval. The give-up budget (stopMaxSweeps) loses at most 8 s.
 */
export function nextSweepDelayMs(intervalMs: number, sweep: number, launchesInFlight: number, cloudFailure: string | null): number {
  if (launchesInFlight > 0 || cloudFailure !== null) return intervalMs;
  return Math.min(intervalMs, FIRST_RELOOK_MS * 2 ** Math.min(sweep, 10));
}

/** How many job look-ups a stop keeps in flight on its connection (pipelined, not one by one). */
const LOOKUPS_IN_FLIGHT = 200;

/**
 * Queued jobs of the start would only stand down when they run: remove them now. The look-ups of
 * N nodes go out together in chunks (one round trip each), not 2N round trips in a row.
 */
async function removeQueuedStartJobs(deps: WorkerDependencies, record: ClusterDict): Promise<void> {
  const coordinator = await deps.queues.clusterCoordinator.getJob(coordinatorJobId(record.name, record.generation));
  if (coordinator !== undefined && (await coordinator.getState()) === 'delayed') await coordinator.remove().catch(() => undefined);
  const generations = new Set([record.generation, ...allNodes(record).map((node) => generationOf(record, node))]);
  for (const generation of generations) {
    const watch = await deps.queues.probeWatch.getJob(probeWatchJobId(record.name, generation));
    if (watch !== undefined && ['delayed', 'waiting'].includes(await watch.getState())) await watch.remove().catch(() => undefined);
  }
  const lookups = allNodes(record).flatMap((node) => {
    // Each node's jobs carry the generation that launched it (a start or a resize).
    const generation = generationOf(record, node);
    return [
      [deps.queues.nodeStart, nodeStartJobId(record.name, generation, node.name)],
      [deps.queues.nodeProbe, nodeProbeJobId(record.name, generation, node.name)],
    ] as const;
  });
  for (let first = 0; first < lookups.length; first += LOOKUPS_IN_FLIGHT) {
    await Promise.all(
      lookups.slice(first, first + LOOKUPS_IN_FLIGHT).map(async ([queue, id]) => {
        const job = await queue.getJob(id);
        if (job === undefined) return;
        const jobState = await job.getState();
        if (jobState === 'waiting' || jobState === 'delayed' || jobState === 'prioritized') await job.remove().catch(() => undefined);
      }),
    );
  }
}

/**
 * Node-start jobs being processed right now may still be inside RunInstances. The active list is
 * as long as the fleet's concurrency, whatever the cluster's size: read it, not every node's job.
 */
async function launchesInFlight(deps: WorkerDependencies, record: ClusterDict): Promise<number> {
  const ours = new Set(allNodes(record).map((node) => nodeStartJobId(record.name, generationOf(record, node), node.name)));
  const active = await deps.queues.nodeStart.getJobs(['active']);
  return active.filter((job) => job?.id !== undefined && ours.has(job.id)).length;
}

function recordedInstanceIds(record: ClusterDict): string[] {
  return allNodes(record).flatMap((node) => (node.instanceId !== null && node.state !== 'terminated' ? [node.instanceId] : []));
}

async function markTerminating(deps: WorkerDependencies, name: string): Promise<void> {
  await updateRecord(deps.repository, name, (cluster) => {
    const nodes = allNodes(cluster).filter((node) => node.instanceId !== null && node.state !== 'terminating');
    if (nodes.length === 0) return null;
    for (const node of nodes) node.state = 'terminating';
    return cluster;
  });
}

async function deleteFleetState(deps: WorkerDependencies, record: ClusterDict): Promise<void> {
  for (let generation = 1; generation <= record.generation; generation += 1) {
    const keys = generationKeys(deps.prefix, record.name, generation);
    // Every key of a generation carries the (hash-tagged on a Cluster) prefix: one UNLINK is one slot.
    for await (const found of scanKeys(deps.redis, keys.pattern)) await deps.redis.unlink(...found);
  }
}
