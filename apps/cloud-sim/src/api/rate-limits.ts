import { TokenBucket } from './token-bucket';

// The per-account bucket sizes AWS documents for EC2 (see ec2-facts.md). Every call takes one
// request token of its action's bucket; launches and terminations also take one token per
// instance from a resource bucket.

interface BucketSize {
  capacity: number;
  refillPerSecond: number;
}

const REQUEST_BUCKETS: Record<string, BucketSize> = {
  RunInstances: { capacity: 5, refillPerSecond: 2 },
  StartInstances: { capacity: 5, refillPerSecond: 2 },
  TerminateInstances: { capacity: 100, refillPerSecond: 5 },
  StopInstances: { capacity: 100, refillPerSecond: 5 },
  DescribeInstancesPaginated: { capacity: 100, refillPerSecond: 20 },
  DescribeInstancesUnpaginated: { capacity: 50, refillPerSecond: 10 },
  OtherDescribe: { capacity: 100, refillPerSecond: 20 },
  CreateTags: { capacity: 100, refillPerSecond: 10 },
  OtherMutating: { capacity: 50, refillPerSecond: 5 },
};

const RESOURCE_BUCKETS: Record<string, BucketSize> = {
  RunInstances: { capacity: 1000, refillPerSecond: 2 },
  StartInstances: { capacity: 1000, refillPerSecond: 2 },
  TerminateInstances: { capacity: 1000, refillPerSecond: 20 },
  StopInstances: { capacity: 1000, refillPerSecond: 20 },
};

/** `off` disables throttling; a scale multiplies every bucket's size and refill rate. */
export type RateLimitSetting = 'off' | { scale: number };

/** Which request bucket a call draws from. DescribeInstances has two: with MaxResults
 *  (paginated) it gets the larger one, which is what AWS wants callers to use. */
export function requestBucketName(action: string, paginated: boolean): string {
  if (action === 'DescribeInstances') return paginated ? 'DescribeInstancesPaginated' : 'DescribeInstancesUnpaginated';
  if (action in REQUEST_BUCKETS) return action;
  return action.startsWith('Describe') ? 'OtherDescribe' : 'OtherMutating';
}

export class RateLimiter {
  private requestBuckets = new Map<string, TokenBucket>();
  private resourceBuckets = new Map<string, TokenBucket>();

  constructor(private readonly setting: RateLimitSetting) {
    this.reset();
  }

  get enabled(): boolean {
    return this.setting !== 'off';
  }

  /** Fills every bucket again (used by POST /_sim/reset). */
  reset(): void {
    const scale = this.setting === 'off' ? 1 : this.setting.scale;
    const build = (sizes: Record<string, BucketSize>) =>
      new Map(
        Object.entries(sizes).map(([name, size]) => [
          name,
          new TokenBucket(Math.max(1, Math.round(size.capacity * scale)), size.refillPerSecond * scale),
        ]),
      );
    this.requestBuckets = build(REQUEST_BUCKETS);
    this.resourceBuckets = build(RESOURCE_BUCKETS);
  }

  takeRequestToken(bucketName: string): boolean {
    if (!this.enabled) return true;
    return this.requestBuckets.get(bucketName)?.tryTake(1) ?? true;
  }

  /** One token per instance for launch/start/stop/terminate; all or nothing. */
  takeResourceTokens(action: string, instanceCount: number): boolean {
    if (!this.enabled || instanceCount === 0) return true;
    return this.resourceBuckets.get(action)?.tryTake(instanceCount) ?? true;
  }
}
