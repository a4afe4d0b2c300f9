import { TokenBucket } from '../src/api/token-bucket';

describe('token bucket', () => {
  it('gives a full burst, then refills continuously at its rate, never above capacity', () => {
    let now = 0;
    const bucket = new TokenBucket(5, 2, () => now);
    for (let take = 0; take < 5; take++) expect(bucket.tryTake()).toBe(true);
    expect(bucket.tryTake()).toBe(false);
    now = 499;
    expect(bucket.tryTake()).toBe(false);
    now = 1000;
    expect(bucket.tryTake()).toBe(true);
    now = 60_000;
    expect(bucket.available()).toBe(5);
  });

  it('takes several tokens all or nothing', () => {
    const bucket = new TokenBucket(1000, 2, () => 0);
    expect(bucket.tryTake(1000)).toBe(true);
    expect(bucket.tryTake(1)).toBe(false);
    const fresh = new TokenBucket(10, 1, () => 0);
    expect(fresh.tryTake(11)).toBe(false);
    expect(fresh.available()).toBe(10);
  });
});
