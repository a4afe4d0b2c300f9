import { openFleetQueues } from '@elastiq/queue';
import { MemoryClusterRepository } from '@elastiq/store';
import { type RunningRedis, startRedis } from '@elastiq/testing';
import { QueueEvents } from 'bullmq';
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
    const eventsConnection = client.duplicate();
    const events = new QueueEvents('node-start', { connection: eventsConnection, prefix });
    try {
      await events.waitUntilReady();
      const failed = new Promise<string>((resolve) => events.on('failed', ({ failedReason }) => resolve(failedReason)));
      const job = await queues.nodeStart.add('node-start', data, { attempts: 5 });
      expect(await failed).toMatch(reason);
      const stored = await queues.nodeStart.getJob(job.id!);
      expect(stored?.attemptsMade).toBe(1);
      expect(await stored?.getState()).toBe('failed');
    } finally {
      await fleet.close();
      await events.close();
      await queues.close();
      eventsConnection.disconnect();
    }
  });
});
