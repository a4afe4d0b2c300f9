import { EC2_RATE_LIMITS, scaledRateLimits } from '../src/cloud-rate-limits';

describe('the fleet’s EC2 buckets for an account with raised API limits', () => {
  it('multiplies every bucket, burst and refill', () => {
    const scaled = scaledRateLimits(EC2_RATE_LIMITS, 10);
    expect(scaled.runInstancesResource).toEqual({ burst: 10_000, perSecond: 20 });
    expect(scaled.runInstances).toEqual({ burst: 50, perSecond: 20 });
    expect(scaled.terminateInstancesResource).toEqual({ burst: 10_000, perSecond: 200 });
    expect(Object.keys(scaled).sort()).toEqual(Object.keys(EC2_RATE_LIMITS).sort());
  });

  it('leaves the default limits as they are at scale 1, and never makes a bucket hold less than one token', () => {
    expect(scaledRateLimits(EC2_RATE_LIMITS, 1)).toEqual(EC2_RATE_LIMITS);
    expect(scaledRateLimits(EC2_RATE_LIMITS, 0.01).runInstances.burst).toBe(1);
  });
});
