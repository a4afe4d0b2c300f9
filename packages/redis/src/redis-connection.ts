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
 * - `dashboard`: reconnects, but a request fails after a few retries so the board shows an error.
 * `command` and `dashboard` connections connect lazily: call connectRedis().
 */
export type RedisPurpose = 'worker' | 'command' | 'dashboard';

const PURPOSE_OPTIONS: Record<RedisPurpose, RedisOptions> = {
  worker: { maxRetriesPerRequest: null },
  command: { lazyConnect: true, maxRetriesPerRequest: null, retryStrategy: () => null, connectTimeout: 5000 },
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
export function createRedisConnection(settings: RedisSettings, purpose: RedisPurpose): RedisConnection {
  const { host, port, options: credentials } = urlOptions(settings.url);
  const tls = settings.tls === null ? {} : { tls: tlsOptions(settings.tls) };
  const perPurpose = PURPOSE_OPTIONS[purpose];
  const { topology } = settings;
  if (topology.mode === 'cluster') {
    const { lazyConnect, retryStrategy, ...nodeOptions } = perPurpose;
    const { db: _db, ...clusterCredentials } = credentials;
    return new Cluster([{ host, port }, ...topology.seeds], {
      redisOptions: { ...nodeOptions, ...clusterCredentials, ...tls },
      // With TLS the nodes' certificates name their hosts: keep the names the cluster announces
      // instead of resolving them to addresses (managed clusters such as ElastiCache need this).
      ...(settings.tls !== null ? { dnsLookup: (address: string, callback: (error: null, address: string) => void) => callback(null, address) } : {}),
      ...(lazyConnect ? { lazyConnect } : {}),
      ...(retryStrategy ? { clusterRetryStrategy: () => null } : {}),
    });
  }
  if (topology.mode === 'sentinel') {
    return new Redis({
      ...perPurpose,
      ...credentials,
      ...tls,
      sentinels: topology.sentinels,
      name: topology.masterName,
      ...(topology.sentinelPassword !== null ? { sentinelPassword: topology.sentinelPassword } : {}),
      ...(settings.tls !== null ? { enableTLSForSentinelMode: true, sentinelTLS: tls.tls } : {}),
      ...(perPurpose.retryStrategy ? { sentinelRetryStrategy: () => null } : {}),
    });
  }
  return new Redis({ ...perPurpose, ...credentials, ...tls, host, port });
}

/** The servers that hold data: every master of a Cluster, else the one server. */
export async function dataNodes(connection: RedisConnection): Promise<Redis[]> {
  if (!(connection instanceof Cluster)) return [connection];
  // A cluster client knows its masters once it has read the slot map: a command waits for that.
  await connection.ping();
  return connection.nodes('master');
}
