import { ConfigurationError } from '@elastiq/core';
import { ALL_QUEUE_KINDS, type QueueKind } from '@elastiq/queue';
import { z } from 'zod';
import type { FleetTuning } from './fleet-tuning';

// Worker-only settings (which queues this machine serves, lock and timing knobs). The shared
// settings (Redis, prefix, rate limits) come from @elastiq/config's loadRuntimeSettings.

const milliseconds = z.coerce.number().int().positive();

const WorkerEnvironmentSchema = z.object({
  ELASTIQ_WORKER_QUEUES: z
    .string()
    .transform((list) => list.split(',').map((kind) => kind.trim()).filter(Boolean))
    .pipe(z.array(z.enum(ALL_QUEUE_KINDS as [QueueKind, ...QueueKind[]], { error: `must list job kinds among ${ALL_QUEUE_KINDS.join(', ')}` })))
    .optional(),
  /** `nodeProbe=200,nodeStart=500`: jobs of a kind running at once across *all* workers. */
  ELASTIQ_FLEET_GLOBAL_CONCURRENCY: z
    .string()
    .transform((list, context) => {
      const limits: Partial<Record<QueueKind, number>> = {};
      for (const item of list.split(',').map((part) => part.trim()).filter(Boolean)) {
        const match = /^(\w+)=(\d+)$/.exec(item);
        if (!match || !(ALL_QUEUE_KINDS as string[]).includes(match[1]) || Number(match[2]) < 1) {
          context.addIssue({ code: 'custom', message: `\`${item}\` must be KIND=N with KIND among ${ALL_QUEUE_KINDS.join(', ')} and N ≥ 1` });
          return z.NEVER;
        }
        limits[match[1] as QueueKind] = Number(match[2]);
      }
      return limits;
    })
    .optional(),
  ELASTIQ_WORKER_LOCK_MS: milliseconds.optional(),
  ELASTIQ_WORKER_STALLED_INTERVAL_MS: milliseconds.optional(),
  ELASTIQ_FLEET_LAUNCH_COALESCE_MS: milliseconds.optional(),
  ELASTIQ_FLEET_DESCRIBE_MAX_AGE_MS: milliseconds.optional(),
  ELASTIQ_FLEET_PROBE_FIRST_DELAY_MS: milliseconds.optional(),
  ELASTIQ_FLEET_PROBE_MAX_DELAY_MS: milliseconds.optional(),
  ELASTIQ_FLEET_CAPACITY_RETRY_MS: milliseconds.optional(),
  ELASTIQ_FLEET_SWEEP_INTERVAL_MS: milliseconds.optional(),
});

export interface WorkerProcessOptions {
  kinds?: QueueKind[];
  globalConcurrency?: Partial<Record<QueueKind, number>>;
  lockDurationMs?: number;
  stalledIntervalMs?: number;
  tuning: Partial<FleetTuning>;
}

export function workerProcessOptions(env: Record<string, string | undefined>): WorkerProcessOptions {
  const relevant = Object.fromEntries(Object.keys(WorkerEnvironmentSchema.shape).flatMap((name) => (env[name] ? [[name, env[name]]] : [])));
  const parsed = WorkerEnvironmentSchema.safeParse(relevant);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ConfigurationError(`${issue.message}`, { key: String(issue.path[0]), hint: 'fix the variable in the environment of elastiq-worker' });
  }
  const e = parsed.data;
  const tuning: Partial<FleetTuning> = {};
  if (e.ELASTIQ_FLEET_LAUNCH_COALESCE_MS) tuning.launchCoalesceMs = e.ELASTIQ_FLEET_LAUNCH_COALESCE_MS;
  if (e.ELASTIQ_FLEET_DESCRIBE_MAX_AGE_MS) tuning.describeMaxAgeMs = e.ELASTIQ_FLEET_DESCRIBE_MAX_AGE_MS;
  if (e.ELASTIQ_FLEET_PROBE_FIRST_DELAY_MS) tuning.probeFirstDelayMs = e.ELASTIQ_FLEET_PROBE_FIRST_DELAY_MS;
  if (e.ELASTIQ_FLEET_PROBE_MAX_DELAY_MS) tuning.probeMaxDelayMs = e.ELASTIQ_FLEET_PROBE_MAX_DELAY_MS;
  if (e.ELASTIQ_FLEET_CAPACITY_RETRY_MS) tuning.capacityRetryMs = e.ELASTIQ_FLEET_CAPACITY_RETRY_MS;
  if (e.ELASTIQ_FLEET_SWEEP_INTERVAL_MS) tuning.sweepIntervalMs = e.ELASTIQ_FLEET_SWEEP_INTERVAL_MS;
  return {
    ...(e.ELASTIQ_WORKER_QUEUES ? { kinds: e.ELASTIQ_WORKER_QUEUES } : {}),
    ...(e.ELASTIQ_FLEET_GLOBAL_CONCURRENCY ? { globalConcurrency: e.ELASTIQ_FLEET_GLOBAL_CONCURRENCY } : {}),
    ...(e.ELASTIQ_WORKER_LOCK_MS ? { lockDurationMs: e.ELASTIQ_WORKER_LOCK_MS } : {}),
    ...(e.ELASTIQ_WORKER_STALLED_INTERVAL_MS ? { stalledIntervalMs: e.ELASTIQ_WORKER_STALLED_INTERVAL_MS } : {}),
    tuning,
  };
}
