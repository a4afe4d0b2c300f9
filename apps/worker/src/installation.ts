import { randomUUID } from 'node:crypto';
import type { CloudSettings } from '@elastiq/core';
import { installationIdKey, launchedCloudMember, launchedCloudsKey } from '@elastiq/queue';
import type { RedisConnection } from '@elastiq/redis';

// The installation id is made once, by whichever worker launches first (SET NX in one script
// with the cloud's registration, so no launch is ever tagged with an id Redis does not hold).
// A worker keeps the id it saw: should the key vanish (Redis restored from an old dump), the
// next launch writes the same id back instead of minting a new one, so the installation keeps
// recognising what it launched before.

const INSTALLATION_SCRIPT = `
redis.call('SET', KEYS[1], ARGV[1], 'NX')
local id = redis.call('GET', KEYS[1])
if ARGV[2] ~= '' then redis.call('SADD', KEYS[2], ARGV[2]) end
return id
`;

const known = new WeakMap<RedisConnection, Map<string, string>>();

/**
 * The installation's id, created on first use; with `cloud` (a launch), that cloud is remembered
 * as one gc must look at, in the same script.
 */
export async function installationIdFor(redis: RedisConnection, prefix: string, cloud?: Pick<CloudSettings, 'ec2Url' | 'ec2Region' | 'credentialSource'>): Promise<string> {
  let ids = known.get(redis);
  if (ids === undefined) {
    ids = new Map();
    known.set(redis, ids);
  }
  const candidate = ids.get(prefix) ?? randomUUID();
  const member = cloud === undefined ? '' : launchedCloudMember(cloud);
  const id = String(await redis.eval(INSTALLATION_SCRIPT, 2, installationIdKey(prefix), launchedCloudsKey(prefix), candidate, member));
  ids.set(prefix, id);
  return id;
}
