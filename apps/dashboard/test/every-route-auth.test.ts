import { appRoutes } from '@bull-board/api/dist/routes.js';
import { loadRuntimeSettings } from '@elastiq/config';
import { openFleetQueues, QUEUE_NAMES } from '@elastiq/queue';
import { type RunningRedis, startRedis } from '@elastiq/testing';
import { Redis } from 'ioredis';
import { type RunningDashboard, startDashboard } from '../src';

// Issue 14, part 3: every route the board serves (Bull Board's own route table, so a route a
// new Bull Board version adds is asked too) answers 401 without credentials and with wrong ones,
// whatever the method, and a write action sent without them changes nothing in Redis.

const credentials = { username: 'operator', password: 'every-route-test' };
const basic = (username: string, password: string) => ({ authorization: `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}` });
const WRONG = [{}, basic('operator', 'wrong'), basic('intruder', credentials.password), basic('operator', credentials.password.slice(0, -1)), { authorization: 'Bearer x' }];

/** Route patterns with their parameters filled in: a real queue, a job id that may not exist. */
function concrete(route: string): string {
  return route
    .replace(':queueName', QUEUE_NAMES.nodeStart)
    .replace(':jobId', '1')
    .replace(':queueStatus', 'failed')
    .replace(':schedulerId', 'gc');
}

const ROUTES: { method: string; path: string }[] = [
  ...(Array.isArray(appRoutes.entryPoint.route) ? appRoutes.entryPoint.route : [appRoutes.entryPoint.route]).map((route) => ({ method: 'GET', path: concrete(route) })),
  ...appRoutes.api.flatMap((definition) =>
    (Array.isArray(definition.route) ? definition.route : [definition.route]).flatMap((route) =>
      (Array.isArray(definition.method) ? definition.method : [definition.method]).map((method) => ({ method: method.toUpperCase(), path: concrete(route) })),
    ),
  ),
  { method: 'GET', path: '/static/js/main.js' },
  { method: 'GET', path: '/favicon.ico' },
];

describe('elastiq-dashboard: every route needs the credentials', () => {
  let redis: RunningRedis;
  let client: Redis;
  let dashboard: RunningDashboard;
  const prefix = `routes${process.pid}`;

  beforeAll(async () => {
    redis = await startRedis();
    client = new Redis(redis.url, { maxRetriesPerRequest: null });
    dashboard = await startDashboard({
      redis: loadRuntimeSettings({ ELASTIQ_REDIS_URL: redis.url }).redis,
      queuePrefix: prefix,
      dashboard: { host: '127.0.0.1', port: 0, readOnly: false, ...credentials },
    });
  });
  afterAll(async () => {
    await dashboard?.close();
    client?.disconnect();
    await redis?.stop();
  });

  it('lists Bull Board’s routes (the table this spec walks is not empty)', () => {
    expect(ROUTES.length).toBeGreaterThan(30);
    expect(ROUTES).toContainEqual({ method: 'PUT', path: `/api/queues/${QUEUE_NAMES.nodeStart}/pause` });
  });

  it.each(ROUTES)('$method $path answers 401 without or with wrong credentials', async ({ method, path }) => {
    const board = dashboard.url; // …/admin/queues
    for (const url of [`${board}${path === '/' ? '' : path}`, new URL(path, board).toString()]) {
      for (const headers of WRONG) {
        const response = await fetch(url, { method, headers: { ...headers, 'content-type': 'application/json' }, ...(method === 'GET' ? {} : { body: '{}' }) });
        expect({ url, headers, status: response.status }).toEqual({ url, headers, status: 401 });
        expect(response.headers.get('www-authenticate')).toMatch(/^Basic /);
      }
    }
  });

  it('changed nothing: no queue paused, emptied or given a job by the refused requests', async () => {
    const queues = openFleetQueues(client, prefix);
    try {
      expect(await queues.nodeStart.isPaused()).toBe(false);
      expect(await queues.nodeStart.count()).toBe(0);
    } finally {
      await queues.close();
    }
    // And with the right credentials the same board answers (so the 401s above are the guard).
    expect((await fetch(`${dashboard.url}/api/queues`, { headers: basic(credentials.username, credentials.password) })).status).toBe(200);
  });
});
