import { readFileSync } from 'node:fs';
import type { ConnectionOptions as TlsOptions } from 'node:tls';
import type { RedisSettings, RedisTlsSettings } from '@elastiq/config';
import { ConfigurationError } from '@elastiq/core';
import { Cluster, Redis, type RedisOptions } from 'ioredis';

/** A connection to the fleet's Redis: one server (also behind Sentinel) or a Redis Cluster. */
export type RedisConnection = Redis | Cluster;

/**
 * What the connection is for:
 * - `worker`: long-lived; reconnects for ever (BullMQ needs `maxRetriesPerRequest: null`).
 * - `command`: a CLI command; one connect attempt, so it says at once that Redis is not there.
 *   Once connected, a lost link is tried again for up to COMMAND_RECONNECT_MS (a Redis restart or
 *   failover while `start` follows its cluster), the commands waiting meanwhile; then it ends.
 * - `dashboard`: reconnects, but a request fails after a few retries so the board shows an error.
 * `command` and `dashboard` connections connect lazily: call connectRedis().
 */
export type RedisPurpose = 'worker' | 'command' | 'dashboard';

/** How long a command's connection, once made, keeps trying to get a lost link back. */
export const COMMAND_RECONNECT_MS = 60_000;

/**
 * The command connection's retry strategy: none before the first `ready` (Redis is not there:
 * say so now), then a backoff of up to 2 s while the link has been down less than the budget.
 */
function commandRetry(budgetMs: number): { strategy: (times: number) => number | null; connected: () => void } {
  let everReady = false;
  let lostAt = 0;
  return {
    strategy: (times) => {
      if (!everReady) return null;
      if (times === 1) lostAt = Date.now();
      return Date.now() - lostAt < budgetMs ? Math.min(times * 250, 2000) : null;
    },
    connected: () => {
      everReady = true;
    },
  };
}

const PURPOSE_OPTIONS: Record<RedisPurpose, RedisOptions> = {
  worker: { maxRetriesPerRequest: null },
  command: { lazyConnect: true, maxRetriesPerRequest: null, connectTimeout: 5000 },
  dashboard: { lazyConnect: true, maxRetriesPerRequest: 3 },
};

function readPem(path: string, variable: string): Buffer {
  try {
    return readFileSync(path);
  } catch (error) {
    throw new ConfigurationError(`cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? 'error'}): check the path and its permissions`, {
      key: variable,
    });
  }
}

/** Node TLS options from the settings; the files are read here, once, when the client is made. */
function tlsOptions(tls: RedisTlsSettings): TlsOptions {
  return {
    ...(tls.caFile !== null ? { ca: readPem(tls.caFile, 'ELASTIQ_REDIS_TLS_CA_FILE') } : {}),
    ...(tls.certFile !== null ? { cert: readPem(tls.certFile, 'ELASTIQ_REDIS_TLS_CERT_FILE') } : {}),
    ...(tls.keyFile !== null ? { key: readPem(tls.keyFile, 'ELASTIQ_REDIS_TLS_KEY_FILE') } : {}),
    ...(tls.insecure ? { rejectUnauthorized: false } : {}),
  };
}

/** Host, port, credentials and database of the URL, as ioredis options. */
function urlOptions(url: string): { host: string; port: number; options: RedisOptions } {
  const parsed = new URL(url);
  const db = parsed.pathname.replace(/^\//, '');
  return {
    host: parsed.hostname.replace(/^\[|\]$/g, ''),
    port: Number(parsed.port || 6379),
    options: {
      ...(parsed.username ? { username: decodeURIComponent(parsed.username) } : {}),
      ...(parsed.password ? { password: decodeURIComponent(parsed.password) } : {}),
      ...(db ? { db: Number(db) } : {}),
    },
  };
}

/** The one place an ioredis client is made: every program of the fleet connects the same way. */
export function createRedisConnection(settings: RedisSettings, purpose: RedisPurpose, { reconnectMs = COMMAND_RECONNECT_MS }: { reconnectMs?: number } = {}): RedisConnection {
  const retry = purpose === 'command' ? commandRetry(reconnectMs) : undefined;
  const connection = makeConnection(settings, PURPOSE_OPTIONS[purpose], retry?.strategy);
  if (retry) connection.on('ready', retry.connected);
  return connection;
}

function makeConnection(settings: RedisSettings, perPurpose: RedisOptions, retryStrategy: ((times: number) => number | null) | undefined): RedisConnection {
  const { host, port, options: credentials } = urlOptions(settings.url);
  const tls = settings.tls === null ? {} : { tls: tlsOptions(settings.tls) };
  const { topology } = settings;
  if (topology.mode === 'cluster') {
    const { lazyConnect, ...nodeOptions } = perPurpose;
    const { db: _db, ...clusterCredentials } = credentials;
    return new Cluster([{ host, port }, ...topology.seeds], {
      redisOptions: { ...nodeOptions, ...clusterCredentials, ...tls },
      // With TLS the nodes' certificates name their hosts: keep the names the cluster announces
      // instead of resolving them to addresses (managed clusters such as ElastiCache need this).
      ...(settings.tls !== null ? { dnsLookup: (address: string, callback: (error: null, address: string) => void) => callback(null, address) } : {}),
      ...(lazyConnect ? { lazyConnect } : {}),
      ...(retryStrategy ? { clusterRetryStrategy: retryStrategy } : {}),
    });
  }
  if (topology.mode === 'sentinel') {
    return new Redis({
      ...perPurpose,
      ...(retryStrategy ? { retryStrategy } : {}),
      ...credentials,
      ...tls,
      sentinels: topology.sentinels,
      name: topology.masterName,
      ...(topology.sentinelPassword !== null ? { sentinelPassword: topology.sentinelPassword } : {}),
      ...(settings.tls !== null ? { enableTLSForSentinelMode: true, sentinelTLS: tls.tls } : {}),
      ...(retryStrategy ? { sentinelRetryStrategy: retryStrategy } : {}),
    });
  }
  return new Redis({ ...perPurpose, ...(retryStrategy ? { retryStrategy } : {}), ...credentials, ...tls, host, port });
}

/** The servers that hold data: every master of a Cluster, else the one server. */
export async function dataNodes(connection: RedisConnection): Promise<Redis[]> {
  if (!(connection instanceof Cluster)) return [connection];
  // A cluster client knows its masters once it has read the slot map: a command waits for that.
  await connection.ping();
  return connection.nodes('master');
}
