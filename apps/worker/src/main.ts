#!/usr/bin/env node
import { loadConfiguration, loadEnvironmentCredentials, loadRuntimeSettings } from '@elastiq/config';
import { ConfigurationError, ElastiqError } from '@elastiq/core';
import { openFleetQueues, type QueueKind, scheduleFleetGc } from '@elastiq/queue';
import { checkEvictionPolicy, createRedisConnection, describeRedis } from '@elastiq/redis';
import { ansiblePlaybookOnPath } from '@elastiq/setup';
import { probeNode } from '@elastiq/ssh';
import { RedisClusterRepository } from '@elastiq/store';
import type { ConfigCredentialsReader } from './cloud-credentials';
import { createCloudFactory } from './cloud-factory';
import { EC2_RATE_LIMITS, scaledRateLimits } from './cloud-rate-limits';
import { startFleetWorker } from './fleet-worker';
import { createLogger } from './logger';
import { RedisTokenBucket } from './redis-token-bucket';
import { setupProviderFor } from './setup-provider-factory';
import { kindsServable } from './setup-tools';
import { defaultWorkerName } from './worker-name';
import { workerProcessOptions } from './worker-process-options';

// elastiq-worker: serves the fleet's queues until SIGTERM/SIGINT, then drains (running jobs
// finish; waiting ones stay in Redis for the other workers).
async function main(): Promise<void> {
  const settings = loadRuntimeSettings();
  const processOptions = workerProcessOptions(settings.worker);
  const log = createLogger(settings.logLevel);
  const served = kindsServable(processOptions.kinds, { explicit: settings.worker.queues !== null, hasAnsiblePlaybook: await ansiblePlaybookOnPath() });
  if (served.leftOut !== null) log.warn({ queue: 'cluster-setup' }, served.leftOut);
  // Several machines serve one fleet: the name tells in Bull Board which one took a job.
  const name = settings.worker.name ?? defaultWorkerName();
  const redis = createRedisConnection(settings.redis, 'worker');
  // Before any job is taken: a Redis that evicts keys loses jobs and locks without an error.
  const eviction = await checkEvictionPolicy(redis).catch((error: unknown) => {
    redis.disconnect();
    throw error;
  });
  if (!eviction.ok) log.warn(eviction.warning);
  const prefix = settings.queuePrefix;
  const buckets = new RedisTokenBucket(redis, prefix);
  const limits = scaledRateLimits(
    {
      ...EC2_RATE_LIMITS,
      runInstances: { ...EC2_RATE_LIMITS.runInstances, perSecond: settings.ec2RunInstancesPerSecond },
      describeInstances: { ...EC2_RATE_LIMITS.describeInstances, perSecond: settings.ec2DescribePerSecond },
      terminateInstances: { ...EC2_RATE_LIMITS.terminateInstances, perSecond: settings.ec2TerminatePerSecond },
    },
    settings.ec2RateLimitScale,
  );
  const queues = openFleetQueues(redis, prefix);
  // Per-process concurrency multiplies with the fleet size; a global one (stored in Redis by
  // BullMQ) caps a kind across every worker, e.g. how many SSH probes run at once.
  for (const [kind, limit] of Object.entries(processOptions.globalConcurrency) as [QueueKind, number][]) {
    await queues[kind].setGlobalConcurrency(limit);
  }
  // Every worker upserts the one gc schedule (idempotent); the last one started sets its timing.
  await scheduleFleetGc(queues.fleetGc, { everyMs: settings.worker.gc.intervalMs, olderThanMs: settings.worker.gc.olderThanMs });
  const fleet = startFleetWorker(
    {
      redis,
      prefix,
      queues,
      repository: new RedisClusterRepository(redis, { prefix: `${prefix}:` }),
      cloudFor: createCloudFactory({ environmentCredentials: loadEnvironmentCredentials(), buckets, limits, log, fromConfig: credentialsFromConfig }),
      probe: probeNode,
      setupFor: setupProviderFor,
      log,
      tuning: processOptions.tuning,
    },
    {
      connection: redis,
      name,
      kinds: served.kinds,
      concurrency: { nodeProbe: settings.workerConcurrency },
      lockDurationMs: processOptions.lockDurationMs,
      stalledIntervalMs: processOptions.stalledIntervalMs,
    },
  );
  log.info({ name, redis: describeRedis(settings.redis), prefix, kinds: served.kinds }, 'elastiq-worker started');

  let closing = false;
  const drain = async (signal: string) => {
    if (closing) return;
    closing = true;
    log.info({ signal }, 'draining: finishing running jobs');
    await fleet.close();
    await queues.close();
    redis.disconnect();
    log.info('drained');
    process.exit(0);
  };
  process.on('SIGTERM', () => void drain('SIGTERM'));
  process.on('SIGINT', () => void drain('SIGINT'));
}

/** `config:<path>#<cloud>`: the keys stay in the configuration file, read here on the worker. */
const credentialsFromConfig: ConfigCredentialsReader = async (configPath, cloudName) => {
  // The CLI's wording ("check the path given with -c") would mislead here: say what a worker needs.
  const loaded = await loadConfiguration({ configPath, explicit: true }).catch((error: unknown) => {
    const problem = error instanceof ConfigurationError ? error.problem : String(error);
    throw new ConfigurationError(`this worker cannot read the configuration file holding [cloud/${cloudName}]'s keys (${problem})`, {
      file: configPath,
      hint: 'make the file the CLI used readable at the same path on every worker (a container: mount it), or leave the keys out of it and give the workers AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY',
    });
  });
  const cloud = Object.values(loaded.templates).find((template) => template.cloud.name === cloudName)?.cloud;
  if (!cloud?.ec2AccessKey || !cloud.ec2SecretKey) return undefined;
  return { accessKeyId: cloud.ec2AccessKey, secretAccessKey: cloud.ec2SecretKey };
};

main().catch((error: unknown) => {
  if (error instanceof ElastiqError) {
    process.stderr.write(`elastiq-worker: ${error.toUserLine()}\n`);
    process.exit(error.exitCode);
  }
  process.stderr.write(`elastiq-worker: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
