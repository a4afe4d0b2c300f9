import { type CloudSimOptions, type RunningCloudSim, startCloudSim } from '@elastiq/cloud-sim';
import { Ec2CloudProvider, type LaunchRequest, TAG_CLUSTER, TAG_GENERATION, TAG_KIND, clientTokenFor } from '../src';

export interface SimAndProvider {
  sim: RunningCloudSim;
  provider: Ec2CloudProvider;
  stop(): Promise<void>;
}

/** cloud-sim without SSH servers (the API is under test here) and the provider pointed at it. */
export async function startSimWithProvider(options: CloudSimOptions = {}, maxAttempts = 1): Promise<SimAndProvider> {
  const sim = await startCloudSim({ runtime: 'none', rateLimits: 'off', bootDelay: 'fixed:0ms', ...options });
  const provider = new Ec2CloudProvider({
    region: sim.region,
    endpoint: sim.endpoint,
    credentials: { accessKeyId: 'AKIDELASTIQTEST', secretAccessKey: 'not-a-real-secret' },
    maxAttempts,
  });
  return {
    sim,
    provider,
    stop: async () => {
      provider.destroy();
      await sim.stop();
    },
  };
}

export function launchRequest(cluster: string, batch: string, count: number, overrides: Partial<LaunchRequest> = {}): LaunchRequest {
  return {
    clientToken: clientTokenFor(cluster, 1, batch),
    imageId: 'ami-sim',
    flavor: 't3.micro',
    keyName: 'elastiq-test',
    securityGroup: 'default',
    minCount: 1,
    maxCount: count,
    tags: { [TAG_CLUSTER]: cluster, [TAG_GENERATION]: '1', [TAG_KIND]: 'compute', 'elastiq:batch': batch },
    ...overrides,
  };
}

export function callsOf(sim: RunningCloudSim, action: string): number {
  return sim.stats().byAction[action]?.calls ?? 0;
}
