import { randomUUID } from 'node:crypto';
import type { Job, Queue } from 'bullmq';
import { z } from 'zod';
import { fleetGcJobName } from './job-names';
import { type FleetGcPayload, PAYLOAD_VERSION } from './payloads';

// The producer side of garbage collection: `elastiq gc` enqueues one gc job and reads its
// return value; workers keep a job scheduler that runs the same job every few minutes. The
// cloud is only ever talked to by the worker, which resolves credentials as for every job.

/** The one job scheduler of the installation: every worker upserts it, so there is only ever one. */
export const FLEET_GC_SCHEDULER_ID = 'gc';

export interface FleetGcRequest {
  dryRun: boolean;
  olderThanMs: number;
}

/** What a gc job returns (and Bull Board shows): no secrets, credential sources only. */
export const FleetGcResultSchema = z.object({
  installationId: z.string(),
  dryRun: z.boolean(),
  olderThanMs: z.number(),
  clouds: z.array(
    z.object({
      ec2Url: z.string(),
      ec2Region: z.string(),
      credentialSource: z.string(),
      /** Instances with this installation's tag that the cloud listed (not terminated). */
      listed: z.number(),
      /** Why this cloud could not be listed or cleaned (its other results still count). */
      error: z.string().nullable(),
    }),
  ),
  orphans: z.array(
    z.object({
      instanceId: z.string(),
      cluster: z.string().nullable(),
      generation: z.number().nullable(),
      state: z.string(),
      launchTime: z.string().nullable(),
      /** `ec2Url|region` of the cloud it runs in. */
      cloud: z.string(),
      reason: z.string(),
    }),
  ),
  /** How many tagged instances were left alone, by why (see @elastiq/core orphan-rule.ts). */
  spared: z.record(z.string(), z.number()),
  /** Ids TerminateInstances was called for (empty in a dry run). */
  terminated: z.array(z.string()),
});
export type FleetGcResult = z.infer<typeof FleetGcResultSchema>;

/** Enqueues one gc run for `elastiq gc`; its own id, since every invocation is a new request. */
export async function requestFleetGc(queue: Queue, request: FleetGcRequest): Promise<Job> {
  const data: FleetGcPayload = { v: PAYLOAD_VERSION, dryRun: request.dryRun, olderThanMs: request.olderThanMs };
  return queue.add(fleetGcJobName({ dryRun: request.dryRun, scheduled: false }), data, { jobId: `gc/${randomUUID()}` });
}

/**
 * The repeating gc (not a dry run). Upserting is idempotent: every worker calls this at start and
 * the last one's settings win. `everyMs` 0 removes the schedule.
 */
export async function scheduleFleetGc(queue: Queue, { everyMs, olderThanMs }: { everyMs: number; olderThanMs: number }): Promise<void> {
  if (everyMs === 0) {
    await queue.removeJobScheduler(FLEET_GC_SCHEDULER_ID);
    return;
  }
  const data: FleetGcPayload = { v: PAYLOAD_VERSION, dryRun: false, olderThanMs };
  await queue.upsertJobScheduler(FLEET_GC_SCHEDULER_ID, { every: everyMs }, { name: fleetGcJobName({ dryRun: false, scheduled: true }), data });
}
