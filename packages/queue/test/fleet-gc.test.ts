import { type RunningRedis, startRedis } from '@elastiq/testing';
import { Redis } from 'ioredis';
import { FLEET_GC_SCHEDULER_ID, type FleetQueues, openFleetQueues, requestFleetGc, scheduleFleetGc } from '../src';

describe('gc requests and the gc schedule', () => {
  let redis: RunningRedis;
  let client: Redis;
  let queues: FleetQueues;

  beforeAll(async () => {
    redis = await startRedis();
    client = new Redis(redis.url, { maxRetriesPerRequest: null });
  });
  beforeEach(() => {
    queues = openFleetQueues(client, `p${Math.random().toString(36).slice(2)}`);
  });
  afterEach(() => queues.close());
  afterAll(async () => {
    client.disconnect();
    await redis.stop();
  });

  it('is one job scheduler however often workers upsert it; the last upsert sets its interval and grace', async () => {
    await scheduleFleetGc(queues.fleetGc, { everyMs: 300_000, olderThanMs: 600_000 });
    await scheduleFleetGc(queues.fleetGc, { everyMs: 300_000, olderThanMs: 600_000 });
    await scheduleFleetGc(queues.fleetGc, { everyMs: 60_000, olderThanMs: 120_000 });

    const schedulers = await queues.fleetGc.getJobSchedulers();
    expect(schedulers.map(({ key, every, name }) => ({ key, every, name }))).toEqual([{ key: FLEET_GC_SCHEDULER_ID, every: 60_000, name: 'gc (scheduled)' }]);
    expect(schedulers[0].template?.data).toEqual({ v: 1, dryRun: false, olderThanMs: 120_000 });
  });

  it('is removed by an interval of 0', async () => {
    await scheduleFleetGc(queues.fleetGc, { everyMs: 300_000, olderThanMs: 600_000 });
    await scheduleFleetGc(queues.fleetGc, { everyMs: 0, olderThanMs: 600_000 });

    expect(await queues.fleetGc.getJobSchedulersCount()).toBe(0);
  });

  it('enqueues each `elastiq gc` as its own job, named for Bull Board, with references only', async () => {
    const [dry, real] = [await requestFleetGc(queues.fleetGc, { dryRun: true, olderThanMs: 600_000 }), await requestFleetGc(queues.fleetGc, { dryRun: false, olderThanMs: 0 })];

    expect(dry.id).not.toBe(real.id);
    expect([dry.name, real.name]).toEqual(['gc (dry run)', 'gc']);
    expect(real.data).toEqual({ v: 1, dryRun: false, olderThanMs: 0 });
  });
});
