import { loadRuntimeSettings } from '@elastiq/config';
import { openFleetQueues, QUEUE_NAMES } from '@elastiq/queue';
import { type RunningRedis, startRedis } from '@elastiq/testing';
import { Redis } from 'ioredis';
import { type RunningDashboard, startDashboard } from '../src';

// Bull Board's readOnlyMode, checked on the real server: the board refuses actions that change
// the queues, and the queue in Redis stays as it was.

const credentials = { username: 'operator', password: 'read-only-test' };
const headers = { authorization: `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}` };

describe('elastiq-dashboard read-only mode', () => {
  let redis: RunningRedis;
  let client: Redis;
  const prefix = `ro${process.pid}`;

  beforeAll(async () => {
    redis = await startRedis();
    client = new Redis(redis.url, { maxRetriesPerRequest: null });
  });
  afterAll(async () => {
    client?.disconnect();
    await redis?.stop();
  });

  async function withDashboard(readOnly: boolean, body: (dashboard: RunningDashboard) => Promise<void>): Promise<void> {
    const dashboard = await startDashboard({ redis: loadRuntimeSettings({ ELASTIQ_REDIS_URL: redis.url }).redis, queuePrefix: prefix, dashboard: { host: '127.0.0.1', port: 0, readOnly, ...credentials } });
    try {
      await body(dashboard);
    } finally {
      await dashboard.close();
    }
  }

  async function nodeStartIsPaused(): Promise<boolean> {
    const queues = openFleetQueues(client, prefix);
    try {
      return await queues.nodeStart.isPaused();
    } finally {
      await queues.close();
    }
  }

  it('refuses to pause a queue and marks every queue read-only', async () => {
    await withDashboard(true, async (dashboard) => {
      const listing = (await (await fetch(`${dashboard.url}/api/queues`, { headers })).json()) as { queues: { readOnlyMode: boolean }[] };
      expect(listing.queues).toHaveLength(Object.keys(QUEUE_NAMES).length);
      expect(listing.queues.every((queue) => queue.readOnlyMode)).toBe(true);
      const pause = await fetch(`${dashboard.url}/api/queues/${QUEUE_NAMES.nodeStart}/pause`, { method: 'PUT', headers });
      expect(pause.status).toBe(405);
      expect(await nodeStartIsPaused()).toBe(false);
      const page = await (await fetch(dashboard.url, { headers })).text();
      expect(page).toContain('<title>elastiq (read-only)</title>');
    });
  });

  it('lets the same action through when read-only mode is off (so the refusal above is the mode)', async () => {
    await withDashboard(false, async (dashboard) => {
      const pause = await fetch(`${dashboard.url}/api/queues/${QUEUE_NAMES.nodeStart}/pause`, { method: 'PUT', headers });
      expect(pause.status).toBe(200);
      expect(await nodeStartIsPaused()).toBe(true);
    });
  });
});
