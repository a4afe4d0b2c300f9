import { openFleetQueues } from '@elastiq/queue';
import { MemoryClusterRepository } from '@elastiq/store';
import { type RunningRedis, startRedis, waitFor } from '@elastiq/testing';
import { Redis } from 'ioredis';
import pino from 'pino';
import { DEFAULT_FLEET_TUNING, noSetupProvider, startFleetWorker } from '../src';

describe('a job whose payload is malformed or of another version', () => {
  let redis: RunningRedis;
  let client: Redis;

  beforeAll(async () => {
    redis = await startRedis();
    client = new Redis(redis.url, { maxRetriesPerRequest: null });
  });
  afterAll(async () => {
    client.disconnect();
    await redis.stop();
  });

  it.each([
    ['an unknown version', { v: 99, cluster: 'c', generation: 1, node: 'n' }, /v: must be 1/],
    ['a missing field', { v: 1, cluster: 'c', generation: 1 }, /node: /],
  ])('fails at once, without retries, naming the problem: %s', async (_, data, reason) => {
    const prefix = `t${Math.random().toString(36).slice(2)}`;
    const queues = openFleetQueues(client, prefix);
    const fleet = startFleetWorker(
      {
        redis: client,
        prefix,
        queues,
        repository: new MemoryClusterRepository(),
        cloudFor: () => {
          throw new Error('no cloud call may happen for an invalid payload');
        },
        probe: async () => {
          throw new Error('no probe may happen for an invalid payload');
        },
        setupFor: () => noSetupProvider,
        log: pino({ level: 'silent' }),
        tuning: DEFAULT_FLEET_TUNING,
      },
      { connection: client, kinds: ['nodeStart'] },
    );
    try {
      const job = await queues.nodeStart.add('node-start', data, { attempts: 5 });
      // Polled rather than awaited through QueueEvents: a job that fails within milliseconds can
      // fail before QueueEvents' first blocking read of the event stream, and that event is lost.
      const failedReason = await waitFor(
        async () => {
          const current = await queues.nodeStart.getJob(job.id!);
          return current?.finishedOn ? current.failedReason : undefined;
        },
        { timeoutMs: 30_000, description: 'the job to fail' },
      );
      expect(failedReason).toMatch(reason);
      const stored = await queues.nodeStart.getJob(job.id!);
      expect(stored?.attemptsMade).toBe(1);
      expect(await stored?.getState()).toBe('failed');
    } finally {
      await fleet.close();
      await queues.close();
    }
  });
});
