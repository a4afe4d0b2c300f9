import { ElastiqError, EXIT_CODES } from '@elastiq/core';
import type { Redis } from 'ioredis';
import { dataNodes, type RedisConnection } from './redis-connection';

/** A Redis that may evict keys: BullMQ would silently lose jobs and locks, elastiq its records. */
export class RedisEvictsKeys extends ElastiqError {
  constructor(
    readonly node: string,
    readonly policy: string,
  ) {
    super(`Redis at ${node} has maxmemory-policy ${policy}: it may evict the fleet's jobs and records`, {
      hint: 'set `maxmemory-policy noeviction` (redis.conf, CONFIG SET, or the managed service\'s parameter group)',
      exitCode: EXIT_CODES.config,
    });
  }
}

/** What the check found: ok, or a warning when the server does not say (managed Redis, restricted ACL user). */
export type EvictionPolicyCheck = { ok: true } | { ok: false; warning: string };

function nodeName({ options }: Redis): string {
  // Behind Sentinel the options keep ioredis's defaults: the master is known by its name.
  if (options.sentinels) return `master ${options.name}`;
  return `${options.host}:${options.port}`;
}

/**
 * Throws RedisEvictsKeys unless every data node runs `maxmemory-policy noeviction`. One INFO
 * per node: INFO works where CONFIG is renamed or disabled (most managed services); when even
 * INFO is refused, the policy cannot be known and the caller gets a warning instead.
 */
export async function checkEvictionPolicy(connection: RedisConnection): Promise<EvictionPolicyCheck> {
  const unknown: string[] = [];
  for (const node of await dataNodes(connection)) {
    let info: string;
    try {
      info = await node.info('memory');
    } catch (error) {
      unknown.push(`${nodeName(node)} (${(error as Error).message.split('\n')[0]})`);
      continue;
    }
    const policy = /^maxmemory_policy:(\S+)/m.exec(info)?.[1];
    if (policy === undefined) unknown.push(`${nodeName(node)} (INFO has no maxmemory_policy)`);
    else if (policy !== 'noeviction') throw new RedisEvictsKeys(nodeName(node), policy);
  }
  if (unknown.length === 0) return { ok: true };
  return {
    ok: false,
    warning: `cannot read maxmemory-policy of Redis ${unknown.join(', ')}: make sure it is noeviction, or BullMQ may lose jobs`,
  };
}
