import { z } from 'zod';
import { configurationError } from './configuration-error';
import { HASH_TAGGED_PREFIX, RedisEnvironmentShape, type RedisSettings, toRedisSettings } from './runtime-settings-redis';
import { toWorkerSettings, WorkerEnvironmentShape, type WorkerSettings } from './runtime-settings-worker';

// elastiq's own settings from the process environment: the one place that reads them.

const positiveInteger = z.coerce
  .number({ message: 'must be a positive integer' })
  .int({ message: 'must be a positive integer' })
  .positive({ message: 'must be a positive integer' });
const positiveRate = z.coerce.number({ message: 'must be a positive number (calls per second)' }).positive({ message: 'must be a positive number (calls per second)' });

const RuntimeEnvironmentSchema = z.object({
  ...RedisEnvironmentShape,
  ELASTIQ_QUEUE_PREFIX: z
    .string()
    .regex(/^(?:[A-Za-z0-9_-]+|\{[A-Za-z0-9_-]+\})$/, 'must use only letters, digits, _ and -, or be one hash tag such as {elastiq}')
    .optional(),
  ELASTIQ_WORKER_CONCURRENCY: positiveInteger.default(50),
  ELASTIQ_EC2_RUN_INSTANCES_PER_SECOND: positiveRate.default(2),
  ELASTIQ_EC2_DESCRIBE_PER_SECOND: positiveRate.default(20),
  ELASTIQ_EC2_TERMINATE_PER_SECOND: positiveRate.default(5),
  // An account whose EC2 API limits AWS raised: every client-side bucket (burst and refill, the
  // three rates above included) is multiplied by this, or the fleet paces itself to the defaults.
  ELASTIQ_EC2_RATE_LIMIT_SCALE: z.coerce.number({ message: 'must be a positive number (1: the default EC2 limits)' }).positive({ message: 'must be a positive number (1: the default EC2 limits)' }).default(1),
  ELASTIQ_DASHBOARD_HOST: z.string().min(1).default('127.0.0.1'),
  ELASTIQ_DASHBOARD_PORT: z.coerce.number({ message: 'must be a TCP port (1-65535)' }).int({ message: 'must be a TCP port (1-65535)' }).min(1, { message: 'must be a TCP port (1-65535)' }).max(65535, { message: 'must be a TCP port (1-65535)' }).default(3000),
  ELASTIQ_DASHBOARD_USERNAME: z.string().min(1).optional(),
  ELASTIQ_DASHBOARD_PASSWORD: z.string().min(1).optional(),
  // A path, so the password can live in a file only its owner reads (a secret mount) instead of
  // in the environment, which other processes of the same user and crash dumps can see.
  ELASTIQ_DASHBOARD_PASSWORD_FILE: z.string().min(1).optional(),
  ELASTIQ_DASHBOARD_READ_ONLY: z
    .enum(['true', 'false', '1', '0', 'yes', 'no'], { message: 'must be true or false' })
    .default('false')
    .transform((word) => ['true', '1', 'yes'].includes(word)),
  ELASTIQ_LOG_LEVEL: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], { message: 'must be one of fatal, error, warn, info, debug, trace, silent' })
    .default('info'),
  ...WorkerEnvironmentShape,
});

export interface RuntimeSettings {
  /** How to connect (URL, TLS, Sentinel or Cluster): give it to @elastiq/redis. */
  redis: RedisSettings;
  queuePrefix: string;
  workerConcurrency: number;
  ec2RunInstancesPerSecond: number;
  ec2DescribePerSecond: number;
  ec2TerminatePerSecond: number;
  /** Multiplies every EC2 token bucket of the fleet (an account with raised API limits). */
  ec2RateLimitScale: number;
  dashboard: { host: string; port: number; username?: string; password?: string; passwordFile?: string; readOnly: boolean };
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** elastiq-worker's own settings (runtime-settings-worker.ts). */
  worker: WorkerSettings;
}

/**
 * The settings of this process's environment with some variables given in code (an admin script's
 * `redisUrl`), parsed and checked exactly like the environment itself.
 */
export function loadRuntimeSettingsWith(overrides: Record<string, string>): RuntimeSettings {
  return loadRuntimeSettings({ ...process.env, ...overrides });
}

export function loadRuntimeSettings(env: Record<string, string | undefined> = process.env): RuntimeSettings {
  // An empty variable counts as unset, as shells often export VAR= to clear a value.
  const relevant = Object.fromEntries(
    Object.keys(RuntimeEnvironmentSchema.shape).flatMap((name) => (env[name] ? [[name, env[name]]] : [])),
  );
  const parsed = RuntimeEnvironmentSchema.safeParse(relevant);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const variable = String(issue?.path[0] ?? 'environment');
    throw configurationError({ key: variable }, `${issue?.message ?? 'is invalid'}, got ${shownValue(variable, env[variable])}`);
  }
  const settings = parsed.data;
  const redis = toRedisSettings(settings);
  if (Array.isArray(redis)) throw configurationError({ key: redis[0] }, redis[1]);
  const queuePrefix = settings.ELASTIQ_QUEUE_PREFIX ?? (redis.topology.mode === 'cluster' ? '{elastiq}' : 'elastiq');
  if (redis.topology.mode === 'cluster' && !HASH_TAGGED_PREFIX.test(queuePrefix)) {
    // BullMQ's scripts and elastiq's own (records, launch batches, token buckets) each touch
    // several keys; Redis Cluster runs a script only when all of its keys are in one slot.
    throw configurationError(
      { key: 'ELASTIQ_QUEUE_PREFIX' },
      `must be a hash tag such as {${queuePrefix}} with ELASTIQ_REDIS_CLUSTER=true, so that every key of the fleet is in one cluster slot, got '${queuePrefix}'`,
    );
  }
  if (settings.ELASTIQ_DASHBOARD_PASSWORD !== undefined && settings.ELASTIQ_DASHBOARD_PASSWORD_FILE !== undefined) {
    throw configurationError({ key: 'ELASTIQ_DASHBOARD_PASSWORD_FILE' }, 'cannot be used together with ELASTIQ_DASHBOARD_PASSWORD: unset one of them');
  }
  return {
    redis,
    queuePrefix,
    workerConcurrency: settings.ELASTIQ_WORKER_CONCURRENCY,
    ec2RunInstancesPerSecond: settings.ELASTIQ_EC2_RUN_INSTANCES_PER_SECOND,
    ec2DescribePerSecond: settings.ELASTIQ_EC2_DESCRIBE_PER_SECOND,
    ec2TerminatePerSecond: settings.ELASTIQ_EC2_TERMINATE_PER_SECOND,
    ec2RateLimitScale: settings.ELASTIQ_EC2_RATE_LIMIT_SCALE,
    dashboard: {
      host: settings.ELASTIQ_DASHBOARD_HOST,
      port: settings.ELASTIQ_DASHBOARD_PORT,
      ...(settings.ELASTIQ_DASHBOARD_USERNAME !== undefined ? { username: settings.ELASTIQ_DASHBOARD_USERNAME } : {}),
      ...(settings.ELASTIQ_DASHBOARD_PASSWORD !== undefined ? { password: settings.ELASTIQ_DASHBOARD_PASSWORD } : {}),
      ...(settings.ELASTIQ_DASHBOARD_PASSWORD_FILE !== undefined ? { passwordFile: settings.ELASTIQ_DASHBOARD_PASSWORD_FILE } : {}),
      readOnly: settings.ELASTIQ_DASHBOARD_READ_ONLY,
    },
    logLevel: settings.ELASTIQ_LOG_LEVEL,
    worker: toWorkerSettings(settings),
  };
}

/** A rejected value as the error may show it: no password, including one inside a Redis URL. */
function shownValue(variable: string, value: string | undefined): string {
  if (variable.includes('PASSWORD')) return '(hidden)';
  if (variable === 'ELASTIQ_REDIS_URL' && value !== undefined) return `'${value.replace(/\/\/([^@/]*):[^@/]*@/, '//$1:***@')}'`;
  return `'${value}'`;
}
