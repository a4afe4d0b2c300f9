import { RedisTokenBucket } from '../src';
import { useTwoWorkerConnections } from './support/two-workers-redis';

describe('RedisTokenBucket', () => {
  const redis = useTwoWorkerConnections();

  it('is one bucket for every worker: the burst is shared, the next token waits for the refill', async () => {
    const [a, b] = redis.clients.map((client) => new RedisTokenBucket(client, 'shared'));
    const limit = { burst: 3, perSecond: 0.5 };
    expect(await a.take('RunInstances', limit)).toBe(0);
    expect(await b.take('RunInstances', limit)).toBe(0);
    expect(await a.take('RunInstances', limit)).toBe(0);
    // The fourth token, taken by the other process, has to wait for the refill.
    expect(await b.take('RunInstances', limit)).toBeGreaterThan(0);
  });

  it('keeps buckets of different names and prefixes apart', async () => {
    const bucket = new RedisTokenBucket(redis.clients[0], 'apart');
    const limit = { burst: 1, perSecond: 1 };
    expect(await bucket.take('DescribeInstances', limit)).toBe(0);
    expect(await bucket.take('TerminateInstances', limit)).toBe(0);
    expect(await new RedisTokenBucket(redis.clients[1], 'other').take('DescribeInstances', limit)).toBe(0);
  });

  it('charges a launch per instance, capped at the burst so that a huge launch still gets through', async () => {
    const bucket = new RedisTokenBucket(redis.clients[0], 'resource');
    const limit = { burst: 10, perSecond: 0.5 };
    expect(await bucket.take('RunInstances:instances', limit, 25)).toBe(0);
    expect(await bucket.take('RunInstances:instances', limit, 1)).toBeGreaterThan(0);
  });
});
