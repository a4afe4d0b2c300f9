import type { BucketLimit } from './redis-token-bucket';

// EC2's published token buckets (ec2-facts.md). Keeping below them spares the cloud's
// RequestLimitExceeded round trips; both request and per-instance resource buckets are modelled.
export interface CloudRateLimits {
  runInstances: BucketLimit;
  runInstancesResource: BucketLimit;
  terminateInstances: BucketLimit;
  terminateInstancesResource: BucketLimit;
  stopInstances: BucketLimit;
  stopInstancesResource: BucketLimit;
  startInstances: BucketLimit;
  startInstancesResource: BucketLimit;
  describeInstances: BucketLimit;
  createTags: BucketLimit;
  otherDescribe: BucketLimit;
  otherMutating: BucketLimit;
}

export const EC2_RATE_LIMITS: CloudRateLimits = {
  runInstances: { burst: 5, perSecond: 2 },
  runInstancesResource: { burst: 1000, perSecond: 2 },
  terminateInstances: { burst: 100, perSecond: 5 },
  terminateInstancesResource: { burst: 1000, perSecond: 20 },
  stopInstances: { burst: 100, perSecond: 5 },
  stopInstancesResource: { burst: 1000, perSecond: 20 },
  // StartInstances is paced like RunInstances: resuming 10,000 nodes is bound by its resource bucket.
  startInstances: { burst: 5, perSecond: 2 },
  startInstancesResource: { burst: 1000, perSecond: 2 },
  describeInstances: { burst: 100, perSecond: 20 },
  createTags: { burst: 100, perSecond: 10 },
  otherDescribe: { burst: 100, perSecond: 20 },
  otherMutating: { burst: 50, perSecond: 5 },
};

/** Every bucket times `scale` (burst and refill): an account whose API limits AWS raised. */
export function scaledRateLimits(limits: CloudRateLimits, scale: number): CloudRateLimits {
  const scaled = {} as CloudRateLimits;
  for (const [name, limit] of Object.entries(limits) as [keyof CloudRateLimits, BucketLimit][]) {
    scaled[name] = { burst: Math.max(1, Math.round(limit.burst * scale)), perSecond: limit.perSecond * scale };
  }
  return scaled;
}
