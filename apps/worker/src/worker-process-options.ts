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
    ...(e.ELASTIQ_WORKER_LOCK_MS ? { lockDurationMs: e.ELASTIQ_WORKER_LOCK_MS } : {}),
    ...(e.ELASTIQ_WORKER_STALLED_INTERVAL_MS ? { stalledIntervalMs: e.ELASTIQ_WORKER_STALLED_INTERVAL_MS } : {}),
    tuning,
  };
}
