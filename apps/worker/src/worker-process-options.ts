import type { WorkerSettings } from '@elastiq/config';
import { ConfigurationError } from '@elastiq/core';
import { ALL_QUEUE_KINDS, type QueueKind } from '@elastiq/queue';
import { type FleetTuning, fleetTuningFrom } from './fleet-tuning';

// The worker's settings come from @elastiq/config's loadRuntimeSettings (which reads the
// environment); this turns the job kind names into this worker's queues, which only it knows.

export interface WorkerProcessOptions {
  kinds: QueueKind[];
  globalConcurrency: Partial<Record<QueueKind, number>>;
  lockDurationMs: number;
  stalledIntervalMs: number;
  tuning: FleetTuning;
}

function queueKind(name: string, variable: string): QueueKind {
  if ((ALL_QUEUE_KINDS as string[]).includes(name)) return name as QueueKind;
  throw new ConfigurationError(`\`${name}\` is not a job kind: use ${ALL_QUEUE_KINDS.join(', ')}`, {
    key: variable,
    hint: 'fix the variable in the environment of elastiq-worker',
  });
}

export function workerProcessOptions(settings: WorkerSettings): WorkerProcessOptions {
  const globalConcurrency: Partial<Record<QueueKind, number>> = {};
  for (const [name, limit] of Object.entries(settings.globalConcurrency)) globalConcurrency[queueKind(name, 'ELASTIQ_FLEET_GLOBAL_CONCURRENCY')] = limit;
  return {
    kinds: settings.queues === null ? [...ALL_QUEUE_KINDS] : settings.queues.map((name) => queueKind(name, 'ELASTIQ_WORKER_QUEUES')),
    globalConcurrency,
    lockDurationMs: settings.lockDurationMs,
    stalledIntervalMs: settings.stalledIntervalMs,
    tuning: fleetTuningFrom(settings),
  };
}
