import type { EC2Client } from '@aws-sdk/client-ec2';
import { type CloudSimOptions, type RunningCloudSim, startCloudSim } from '../../src';
import { ec2ClientFor } from './ec2-client';

export interface ApiSim {
  sim: RunningCloudSim;
  /** The SDK client with maxAttempts 1: every answer is seen, not the SDK's retries. */
  ec2: EC2Client;
}

/**
 * One cloud-sim for the describe block that calls this, started before its first test and
 * stopped after its last; `resetBetweenTests` clears instances, faults and buckets so tests
 * cannot see each other's calls.
 */
export function useApiSim(options: CloudSimOptions, { resetBetweenTests }: { resetBetweenTests: boolean }): ApiSim {
  const api = {} as ApiSim;
  beforeAll(async () => {
    api.sim = await startCloudSim(options);
    api.ec2 = ec2ClientFor(api.sim);
  });
  afterAll(() => api.sim?.stop());
  if (resetBetweenTests) beforeEach(() => api.sim.reset());
  return api;
}
