import {
  DescribeInstancesCommand,
  RunInstancesCommand,
  TerminateInstancesCommand,
} from '@aws-sdk/client-ec2';
import { startCloudSim } from '../src';
import { ec2ClientFor, errorCodeOf } from './support/ec2-client';
import { useApiSim } from './support/api-sim';

// AWS's own bucket sizes (ec2-facts.md); the SDK runs with maxAttempts 1 so every answer is seen.
describe('throttling with per-action token buckets', () => {
  const api = useApiSim({ runtime: 'none', bootDelay: 'fixed:0ms' }, { resetBetweenTests: true });

  const launchOne = () => api.ec2.send(new RunInstancesCommand({ ImageId: 'ami-sim', MinCount: 1, MaxCount: 1 }));

  /** Calls until the first throttle; buckets refill while the calls run, so the number of
   *  successes may exceed the burst by what the refill rate gave back meanwhile. */
  async function successesBeforeThrottle(call: () => Promise<unknown>, refillPerSecond: number) {
    const startedAt = performance.now();
    let successes = 0;
    for (;;) {
      const failure = await call().then(
        () => undefined,
        (error: { name: string; $metadata: { httpStatusCode?: number } }) => error,
      );
      if (failure) {
        const refilled = Math.ceil((refillPerSecond * (performance.now() - startedAt)) / 1000);
        return { successes, refilled, failure };
      }
      successes++;
    }
  }

  it('lets a burst of 5 RunInstances through, then answers RequestLimitExceeded (HTTP 503)', async () => {
    const { successes, refilled, failure } = await successesBeforeThrottle(launchOne, 2);
    expect(successes).toBeGreaterThanOrEqual(5);
    expect(successes).toBeLessThanOrEqual(5 + refilled);
    expect(failure.name).toBe('RequestLimitExceeded');
    expect(failure.$metadata.httpStatusCode).toBe(503);
    expect(api.sim.instances()).toHaveLength(successes);
    expect(api.sim.stats().throttledByAction.RunInstances).toBe(1);
  });

  it('refills RunInstances at 2 tokens per second', async () => {
    await successesBeforeThrottle(launchOne, 2);
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(await errorCodeOf(launchOne())).toBe('none');
  });

  it('keeps buckets per action: a throttled RunInstances does not throttle DescribeInstances', async () => {
    await successesBeforeThrottle(launchOne, 2);
    expect(await errorCodeOf(api.ec2.send(new DescribeInstancesCommand({})))).toBe('none');
  });

  it('gives paginated DescribeInstances (MaxResults) a larger bucket than unpaginated', async () => {
    const unpaginated = await successesBeforeThrottle(() => api.ec2.send(new DescribeInstancesCommand({})), 10);
    expect(unpaginated.successes).toBeGreaterThanOrEqual(50);
    expect(unpaginated.successes).toBeLessThanOrEqual(50 + unpaginated.refilled);
    const paginated = await successesBeforeThrottle(() => api.ec2.send(new DescribeInstancesCommand({ MaxResults: 5 })), 20);
    expect(paginated.successes).toBeGreaterThanOrEqual(100);
    expect(paginated.successes).toBeLessThanOrEqual(100 + paginated.refilled);
  });

  it('takes one resource token per launched instance: 1000 at once, then the bucket is empty', async () => {
    const thousand = await api.ec2.send(new RunInstancesCommand({ ImageId: 'ami-sim', MinCount: 1000, MaxCount: 1000 }));
    expect(thousand.Instances).toHaveLength(1000);
    // Ten more instances need ten resource tokens: five seconds of refill at 2/s.
    const ten = api.ec2.send(new RunInstancesCommand({ ImageId: 'ami-sim', MinCount: 10, MaxCount: 10 }));
    expect(await errorCodeOf(ten)).toBe('RequestLimitExceeded');
    const ids = thousand.Instances!.map((instance) => instance.InstanceId!);
    expect(await errorCodeOf(api.ec2.send(new TerminateInstancesCommand({ InstanceIds: ids })))).toBe('none');
  });

  it('can be scaled: ten times the burst with scale 10', async () => {
    const scaled = await startCloudSim({ runtime: 'none', rateLimits: { scale: 10 } });
    try {
      const client = ec2ClientFor(scaled);
      const launch = () => client.send(new RunInstancesCommand({ ImageId: 'ami-sim', MinCount: 1, MaxCount: 1 }));
      const { successes, refilled } = await successesBeforeThrottle(launch, 20);
      expect(successes).toBeGreaterThanOrEqual(50);
      expect(successes).toBeLessThanOrEqual(50 + refilled);
    } finally {
      await scaled.stop();
    }
  });

  it('can be switched off', async () => {
    const unlimited = await startCloudSim({ runtime: 'none', rateLimits: 'off' });
    try {
      const client = ec2ClientFor(unlimited);
      for (let call = 0; call < 20; call++) {
        await client.send(new RunInstancesCommand({ ImageId: 'ami-sim', MinCount: 1, MaxCount: 1 }));
      }
      expect(unlimited.stats().throttled).toBe(0);
    } finally {
      await unlimited.stop();
    }
  });
});
