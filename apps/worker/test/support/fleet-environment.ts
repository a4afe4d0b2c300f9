import { type RunningCloudSim, startCloudSim } from '@elastiq/cloud-sim';
import { generateSshKeyPair, makeTempDir, type RunningRedis, type SshKeyPair, startRedis, type TempDir } from '@elastiq/testing';
import { Redis } from 'ioredis';

// What an in-process fleet spec runs against: a real Redis, a real cloud-sim (short fixed boots)
// and a cluster key pair, started before the file's specs and stopped after them. Read the fields
// inside a spec (they are set in beforeAll).

export interface FleetEnvironment {
  client: Redis;
  sim: RunningCloudSim;
  keys: SshKeyPair;
}

export function useFleetEnvironment(tempPrefix: string): FleetEnvironment {
  const env = {} as FleetEnvironment;
  let redis: RunningRedis | undefined;
  let dir: TempDir | undefined;

  beforeAll(async () => {
    dir = await makeTempDir(tempPrefix);
    redis = await startRedis();
    env.client = new Redis(redis.url, { maxRetriesPerRequest: null });
    env.sim = await startCloudSim({ bootDelay: 'fixed:300ms' });
    env.keys = await generateSshKeyPair(dir.path);
  });
  afterAll(async () => {
    env.client?.disconnect();
    await env.sim?.stop();
    await redis?.stop();
    await dir?.cleanup();
  });
  return env;
}
