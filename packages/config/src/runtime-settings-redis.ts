import { z } from 'zod';

// How to reach the fleet's Redis: one server (redis:// or rediss://), a Sentinel-managed master,
// or a Redis Cluster. Parsed with the other runtime settings (runtime-settings.ts); the client
// is built from these by @elastiq/redis, so every program connects the same way.

export interface RedisAddress {
  host: string;
  port: number;
}

export interface RedisTlsSettings {
  /** PEM file of the CA that signed the server's certificate; null: the system's CAs. */
  caFile: string | null;
  /** Client certificate and key, for a server that asks for one (`tls-auth-clients yes`). */
  certFile: string | null;
  keyFile: string | null;
  /** Skip certificate verification (a test server with a self-signed certificate); never in production. */
  insecure: boolean;
}

export type RedisTopology =
  | { mode: 'standalone' }
  /** The URL's host:port is one seed; `seeds` adds more, so a start works while that node is down. */
  | { mode: 'cluster'; seeds: RedisAddress[] }
  /** The URL gives the master's credentials, database and TLS; its host:port is not used. */
  | { mode: 'sentinel'; sentinels: RedisAddress[]; masterName: string; sentinelPassword: string | null };

export interface RedisSettings {
  /** `redis[s]://[user[:password]@]host:port[/db]`: shown only through redactRedisUrl. */
  url: string;
  /** Set for rediss:// URLs, null for redis://. */
  tls: RedisTlsSettings | null;
  topology: RedisTopology;
}

const yesNo = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'], { message: 'must be true or false' })
  .transform((word) => ['true', '1', 'yes'].includes(word));

const addressList = z.string().transform((list, context) => {
  const addresses: RedisAddress[] = [];
  for (const item of list.split(',').map((part) => part.trim()).filter(Boolean)) {
    const match = /^(\[[^\]]+\]|[^:]+):(\d{1,5})$/.exec(item);
    const port = Number(match?.[2]);
    if (!match || port < 1 || port > 65535) {
      context.addIssue({ code: 'custom', message: `\`${item}\` must be HOST:PORT (a comma-separated list of them)` });
      return z.NEVER;
    }
    addresses.push({ host: match[1].replace(/^\[|\]$/g, ''), port });
  }
  if (addresses.length === 0) {
    context.addIssue({ code: 'custom', message: 'must list at least one HOST:PORT' });
    return z.NEVER;
  }
  return addresses;
});

export const RedisEnvironmentShape = {
  ELASTIQ_REDIS_URL: z.url({ protocol: /^rediss?$/, message: 'must be a redis:// or rediss:// URL' }).default('redis://127.0.0.1:6379'),
  /** PEM CA bundle for rediss:// (a private CA, e.g. a managed Redis's). */
  ELASTIQ_REDIS_TLS_CA_FILE: z.string().min(1).optional(),
  ELASTIQ_REDIS_TLS_CERT_FILE: z.string().min(1).optional(),
  ELASTIQ_REDIS_TLS_KEY_FILE: z.string().min(1).optional(),
  ELASTIQ_REDIS_TLS_INSECURE: yesNo.default(false),
  /** `true`: ELASTIQ_REDIS_URL names a node of a Redis Cluster. */
  ELASTIQ_REDIS_CLUSTER: yesNo.default(false),
  /** More cluster seed nodes besides the URL's, `host:port,host:port`. */
  ELASTIQ_REDIS_CLUSTER_NODES: addressList.optional(),
  /** Sentinels to ask for the master, `host:port,host:port`; needs ELASTIQ_REDIS_SENTINEL_MASTER. */
  ELASTIQ_REDIS_SENTINELS: addressList.optional(),
  ELASTIQ_REDIS_SENTINEL_MASTER: z.string().min(1).optional(),
  ELASTIQ_REDIS_SENTINEL_PASSWORD: z.string().min(1).optional(),
};

type RedisEnvironment = z.infer<z.ZodObject<typeof RedisEnvironmentShape>>;

/** A problem that involves two variables: [variable, message]. */
export type RedisSettingsProblem = [string, string];

export function toRedisSettings(env: RedisEnvironment): RedisSettings | RedisSettingsProblem {
  const tlsOnly = ['ELASTIQ_REDIS_TLS_CA_FILE', 'ELASTIQ_REDIS_TLS_CERT_FILE', 'ELASTIQ_REDIS_TLS_KEY_FILE'] as const;
  const secure = env.ELASTIQ_REDIS_URL.startsWith('rediss:');
  for (const name of tlsOnly) {
    if (!secure && env[name] !== undefined) return [name, 'only applies to a rediss:// ELASTIQ_REDIS_URL: use rediss:// or unset it'];
  }
  if ((env.ELASTIQ_REDIS_TLS_CERT_FILE === undefined) !== (env.ELASTIQ_REDIS_TLS_KEY_FILE === undefined)) {
    return ['ELASTIQ_REDIS_TLS_KEY_FILE', 'and ELASTIQ_REDIS_TLS_CERT_FILE go together: set both or neither'];
  }
  const tls: RedisTlsSettings | null = secure
    ? {
        caFile: env.ELASTIQ_REDIS_TLS_CA_FILE ?? null,
        certFile: env.ELASTIQ_REDIS_TLS_CERT_FILE ?? null,
        keyFile: env.ELASTIQ_REDIS_TLS_KEY_FILE ?? null,
        insecure: env.ELASTIQ_REDIS_TLS_INSECURE,
      }
    : null;
  const topology = redisTopology(env);
  return Array.isArray(topology) ? topology : { url: env.ELASTIQ_REDIS_URL, tls, topology };
}

function redisTopology(env: RedisEnvironment): RedisTopology | RedisSettingsProblem {
  if (env.ELASTIQ_REDIS_CLUSTER_NODES !== undefined && !env.ELASTIQ_REDIS_CLUSTER) {
    return ['ELASTIQ_REDIS_CLUSTER_NODES', 'needs ELASTIQ_REDIS_CLUSTER=true'];
  }
  if (env.ELASTIQ_REDIS_SENTINELS !== undefined) {
    if (env.ELASTIQ_REDIS_CLUSTER) return ['ELASTIQ_REDIS_SENTINELS', 'cannot be used with ELASTIQ_REDIS_CLUSTER=true: Sentinel and Cluster are different deployments'];
    if (env.ELASTIQ_REDIS_SENTINEL_MASTER === undefined) return ['ELASTIQ_REDIS_SENTINEL_MASTER', 'is required with ELASTIQ_REDIS_SENTINELS: the master name of the sentinels\' configuration (e.g. mymaster)'];
    return {
      mode: 'sentinel',
      sentinels: env.ELASTIQ_REDIS_SENTINELS,
      masterName: env.ELASTIQ_REDIS_SENTINEL_MASTER,
      sentinelPassword: env.ELASTIQ_REDIS_SENTINEL_PASSWORD ?? null,
    };
  }
  for (const name of ['ELASTIQ_REDIS_SENTINEL_MASTER', 'ELASTIQ_REDIS_SENTINEL_PASSWORD'] as const) {
    if (env[name] !== undefined) return [name, 'needs ELASTIQ_REDIS_SENTINELS=host:port,...'];
  }
  if (env.ELASTIQ_REDIS_CLUSTER) return { mode: 'cluster', seeds: env.ELASTIQ_REDIS_CLUSTER_NODES ?? [] };
  return { mode: 'standalone' };
}

/** On Redis Cluster a prefix is valid only as one hash tag, `{name}`: then every key of the fleet is in one slot. */
export const HASH_TAGGED_PREFIX = /^\{[A-Za-z0-9_-]+\}$/;
