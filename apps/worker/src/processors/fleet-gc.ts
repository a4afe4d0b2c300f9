import { ClusterBusy, formatDuration } from '@elastiq/core';
import { FleetGcPayloadSchema, type FleetGcResult, parseJobPayload, updateCluster } from '@elastiq/queue';
import type { Job } from 'bullmq';
import { installationIdFor } from '../installation';
import { processorOf } from '../job-control';
import { clustersWithLostNodes, describeError, type JudgedInstance, type ScannedCloud, scanForOrphans, taggedInstance } from '../orphan-scan';
import type { WorkerDependencies } from '../worker-dependencies';

// TerminateInstances takes up to 1000 ids per call (ec2-facts.md); each chunk takes its tokens
// from the shared buckets, so a large sweep is paced like any other terminate of the fleet.
const TERMINATE_CHUNK = 1000;

/**
 * Garbage collection of one installation: lists every instance carrying its installation tag,
 * judges each with the shared orphan rule and (unless a dry run) terminates the orphans, in
 * batched, rate-limited, idempotent calls. One job, not a step job: it never waits. Run again
 * after a crash it lists and terminates again (terminating a terminated instance is a no-op).
 */
export function fleetGcProcessor(deps: WorkerDependencies) {
  return processorOf(async (job): Promise<FleetGcResult> => {
    const payload = parseJobPayload(FleetGcPayloadSchema, job);
    const step = (name: string, details: Record<string, unknown> = {}) => job.updateProgress({ step: name, attempt: job.attemptsMade + 1, ...details });
    const installationId = await installationIdFor(deps.redis, deps.prefix);
    await step('listing');
    const { clouds, judged, records } = await scanForOrphans(deps, installationId, payload.olderThanMs);
    // The same listing shows the clusters that lost a node (a spot interruption): update them.
    for (const cluster of clustersWithLostNodes(clouds, records)) {
      try {
        await updateCluster(deps, cluster);
        await job.log(`${cluster}: a node's instance is no longer listed (spot interruption or terminated outside elastiq): update enqueued`);
      } catch (error) {
        if (!(error instanceof ClusterBusy)) throw error;
      }
    }
    const orphans = judged.filter((entry) => entry.verdict.orphan);
    await job.log(`installation ${installationId}: ${judged.length} tagged instance(s) in ${clouds.length} cloud(s), ${orphans.length} orphan(s) older than ${formatDuration(payload.olderThanMs)}`);
    for (const scanned of clouds) if (scanned.error !== null) await job.log(`${scope(scanned)}: ${scanned.error}`);
    for (const { instance, verdict } of orphans) await job.log(`orphan ${instance.instanceId}: ${verdict.reason}`);

    const terminated = payload.dryRun ? [] : await terminateOrphans(job, clouds, orphans, step);
    await step(payload.dryRun ? 'listed' : 'terminated', { orphans: orphans.length, terminated: terminated.length });
    if (orphans.length > 0) {
      deps.log.info({ installationId, orphans: orphans.length, terminated: terminated.length, dryRun: payload.dryRun }, 'gc found orphaned instances');
    }
    return {
      installationId,
      dryRun: payload.dryRun,
      olderThanMs: payload.olderThanMs,
      clouds: clouds.map((scanned) => ({ ...scanned.settings, listed: scanned.instances.length, error: scanned.error })),
      orphans: orphans.map(({ instance, cloud, verdict }) => ({
        instanceId: instance.instanceId,
        cluster: taggedInstance(instance).cluster,
        generation: taggedInstance(instance).generation,
        state: instance.state,
        launchTime: instance.launchTime,
        cloud: scope(cloud),
        reason: verdict.reason,
      })),
      spared: sparedCounts(judged),
      terminated,
    };
  });
}

/** Per cloud, in chunks; a cloud that refuses keeps its error in the result and the other clouds go on. */
async function terminateOrphans(
  job: Job,
  clouds: ScannedCloud[],
  orphans: JudgedInstance[],
  step: (name: string, details?: Record<string, unknown>) => Promise<void>,
): Promise<string[]> {
  const terminated: string[] = [];
  for (const scanned of clouds) {
    const ids = orphans.filter((orphan) => orphan.cloud === scanned).map((orphan) => orphan.instance.instanceId);
    for (let start = 0; start < ids.length; start += TERMINATE_CHUNK) {
      const chunk = ids.slice(start, start + TERMINATE_CHUNK);
      await step('terminating', { cloud: scope(scanned), done: terminated.length, of: orphans.length });
      try {
        await scanned.cloud.terminate(chunk);
        terminated.push(...chunk);
        await job.log(`${scope(scanned)}: TerminateInstances for ${chunk.length} orphan(s)`);
      } catch (error) {
        scanned.error = `terminating: ${describeError(error)}`;
        await job.log(`${scope(scanned)}: ${scanned.error}`);
        break;
      }
    }
  }
  return terminated;
}

function sparedCounts(judged: JudgedInstance[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const { verdict } of judged) if (!verdict.orphan) counts[verdict.because] = (counts[verdict.because] ?? 0) + 1;
  return counts;
}

function scope(scanned: ScannedCloud): string {
  return `${scanned.settings.ec2Url}|${scanned.settings.ec2Region}`;
}
