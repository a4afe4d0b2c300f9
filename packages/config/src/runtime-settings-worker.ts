import { z } from 'zod';

// The settings only elastiq-worker uses, from its environment. They are parsed with the shared
// ones (runtime-settings.ts) so that the environment is read in one place; the worker checks the
// job kind names against its queues (this package does not know them) with the same kind of error.

/** A whole number of milliseconds; `orZero` also allows 0 (a knob whose 0 means "off"). */
const milliseconds = (fallback: number, { orZero = false } = {}) => {
  const message = orZero ? 'must be a whole number of milliseconds (0 or more)' : 'must be a whole number of milliseconds';
  return z.coerce.number({ message }).int({ message }).min(orZero ? 0 : 1, { message }).default(fallback);
};

const kindName = /^[A-Za-z]+$/;

export const WorkerEnvironmentShape = {
  /** How this process is named in Bull Board (a job's "processed by") and in Redis CLIENT LIST; default host-pid. */
  ELASTIQ_WORKER_NAME: z.string().regex(/^[A-Za-z0-9_.:@-]{1,100}$/, { message: 'must be 1-100 letters, digits and _ . : @ -' }).optional(),
  /** Job kinds this machine serves, comma-separated (`nodeStart,nodeProbe`); unset: every kind. */
  ELASTIQ_WORKER_QUEUES: z
    .string()
    .transform((list) => list.split(',').map((kind) => kind.trim()).filter(Boolean))
    .refine((kinds) => kinds.length > 0 && kinds.every((kind) => kindName.test(kind)), { message: 'must be a comma-separated list of job kinds' })
    .optional(),
  /** `nodeProbe=200,clusterSetup=1`: jobs of a kind running at once across *all* workers; unset: no cap. */
  ELASTIQ_FLEET_GLOBAL_CONCURRENCY: z
    .string()
    .transform((list, context) => {
      const limits: Record<string, number> = {};
      for (const item of list.split(',').map((part) => part.trim()).filter(Boolean)) {
        const match = /^([A-Za-z]+)=(\d+)$/.exec(item);
        if (!match || Number(match[2]) < 1) {
          context.addIssue({ code: 'custom', message: `\`${item}\` must be KIND=N with N ≥ 1` });
          return z.NEVER;
        }
        limits[match[1]] = Number(match[2]);
      }
      return limits;
    })
    .default({}),
  /** How long a job's lock lasts without renewal: a killed worker's jobs are retried about this much later (BullMQ's default). */
  ELASTIQ_WORKER_LOCK_MS: milliseconds(30_000),
  /** How often a worker looks for jobs whose lock expired (BullMQ's default). */
  ELASTIQ_WORKER_STALLED_INTERVAL_MS: milliseconds(30_000),
  /** How long a worker gathers node-start jobs before one RunInstances per group. */
  ELASTIQ_FLEET_LAUNCH_COALESCE_MS: milliseconds(40),
  /** Max age of the DescribeInstances snapshot shared by a start's probes. */
  ELASTIQ_FLEET_DESCRIBE_MAX_AGE_MS: milliseconds(1000),
  /** From a launch to the first look at the node (the cloud rarely says running sooner). */
  ELASTIQ_FLEET_PROBE_FIRST_DELAY_MS: milliseconds(500),
  /** Between SSH probes of a running node: a refused connect is cheap, a late notice is not. */
  ELASTIQ_FLEET_PROBE_INTERVAL_MS: milliseconds(500),
  /** How long a node may be running but unreachable before its probes back off. */
  ELASTIQ_FLEET_PROBE_BACKOFF_AFTER_MS: milliseconds(30_000),
  /** The longest wait between two probes of a node once they back off. */
  ELASTIQ_FLEET_PROBE_MAX_DELAY_MS: milliseconds(5000),
  /** Wait between launch retries when the cloud has no capacity. */
  ELASTIQ_FLEET_CAPACITY_RETRY_MS: milliseconds(5000),
  /** How long an offering (type × zone) that answered "no capacity" is skipped by every start (Karpenter: 3 min). */
  ELASTIQ_FLEET_UNAVAILABLE_OFFERING_TTL_MS: milliseconds(180_000),
  /** After a rollback or a stop, how often the cloud is checked again for late launches. */
  ELASTIQ_FLEET_SWEEP_INTERVAL_MS: milliseconds(5000),
  /** How often the scheduled gc looks for instances of this installation that no cluster owns; 0: never (only `elastiq gc`). */
  ELASTIQ_GC_INTERVAL_MS: milliseconds(300_000, { orZero: true }),
  /** The scheduled gc's grace period: instances launched less than this long ago are never collected by it. */
  ELASTIQ_GC_OLDER_THAN_MS: milliseconds(600_000, { orZero: true }),
};

type WorkerEnvironment = z.infer<z.ZodObject<typeof WorkerEnvironmentShape>>;

export interface WorkerSettings {
  /** ELASTIQ_WORKER_NAME as given; null: the worker names itself after its host and pid. */
  name: string | null;
  /** Job kind names to serve, as written; null: every kind. The worker checks the names. */
  queues: string[] | null;
  /** Job kind name → cap across all workers. */
  globalConcurrency: Record<string, number>;
  lockDurationMs: number;
  stalledIntervalMs: number;
  /** Timing knobs of the fleet (the worker's FleetTuning adds the ones no user needs to change). */
  fleet: {
    /** How long a worker gathers node-start jobs before issuing one RunInstances per group. */
    launchCoalesceMs: number;
    /** Max age of the shared DescribeInstances snapshot of a generation. */
    describeMaxAgeMs: number;
    /** From a launch to the first look at the node. */
    probeFirstDelayMs: number;
    /** Probe cadence of a running node: every interval, backing off to the max once it has been unreachable for backoffAfter. */
    probeIntervalMs: number;
    probeBackoffAfterMs: number;
    probeMaxDelayMs: number;
    /** Wait between capacity retries of a launch (InsufficientInstanceCapacity). */
    capacityRetryMs: number;
    unavailableOfferingTtlMs: number;
    /** After a rollback or stop, re-check the cloud this often for launches that finished late. */
    sweepIntervalMs: number;
  };
  /** The scheduled garbage collection (the worker upserts its job scheduler at start). */
  gc: {
    /** 0: no schedule. */
    intervalMs: number;
    olderThanMs: number;
  };
}

export function toWorkerSettings(env: WorkerEnvironment): WorkerSettings {
  return {
    name: env.ELASTIQ_WORKER_NAME ?? null,
    queues: env.ELASTIQ_WORKER_QUEUES ?? null,
    globalConcurrency: env.ELASTIQ_FLEET_GLOBAL_CONCURRENCY,
    lockDurationMs: env.ELASTIQ_WORKER_LOCK_MS,
    stalledIntervalMs: env.ELASTIQ_WORKER_STALLED_INTERVAL_MS,
    fleet: {
      launchCoalesceMs: env.ELASTIQ_FLEET_LAUNCH_COALESCE_MS,
      describeMaxAgeMs: env.ELASTIQ_FLEET_DESCRIBE_MAX_AGE_MS,
      probeFirstDelayMs: env.ELASTIQ_FLEET_PROBE_FIRST_DELAY_MS,
      probeIntervalMs: env.ELASTIQ_FLEET_PROBE_INTERVAL_MS,
      probeBackoffAfterMs: env.ELASTIQ_FLEET_PROBE_BACKOFF_AFTER_MS,
      probeMaxDelayMs: env.ELASTIQ_FLEET_PROBE_MAX_DELAY_MS,
      capacityRetryMs: env.ELASTIQ_FLEET_CAPACITY_RETRY_MS,
      unavailableOfferingTtlMs: env.ELASTIQ_FLEET_UNAVAILABLE_OFFERING_TTL_MS,
      sweepIntervalMs: env.ELASTIQ_FLEET_SWEEP_INTERVAL_MS,
    },
    gc: { intervalMs: env.ELASTIQ_GC_INTERVAL_MS, olderThanMs: env.ELASTIQ_GC_OLDER_THAN_MS },
  };
}
