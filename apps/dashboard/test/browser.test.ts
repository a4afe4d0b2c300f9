import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { loadRuntimeSettings } from '@elastiq/config';
import { QUEUE_NAMES } from '@elastiq/queue';
import { type Browser, chromium } from 'playwright-core';
// The fleet engineer's end-to-end harness: real redis-server, cloud-sim with real sshd instances,
// elastiq-worker processes built from apps/worker.
import { FleetHarness } from '../../../test/fleet/fleet-harness';
import { type RunningDashboard, startDashboard } from '../src';

// A real Chromium looks at the dashboard while a real cluster start is in progress.

const ARTIFACTS = join(__dirname, '..', '..', '..', 'test-artifacts');
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const credentials = { username: 'operator', password: `browser-${process.pid}-${Date.now()}` };

describe('elastiq-dashboard in a real browser, during a cluster start', () => {
  // Instances take a while to boot, so the start is still running while the browser looks.
  const fleet = new FleetHarness({ sim: { bootDelay: 'fixed:15s' } });
  let dashboard: RunningDashboard;
  let browser: Browser;

  beforeAll(async () => {
    await fleet.start();
    await fleet.spawnWorker();
    dashboard = await startDashboard({
      redis: loadRuntimeSettings({ ELASTIQ_REDIS_URL: fleet.redis.url }).redis,
      queuePrefix: fleet.prefix,
      dashboard: { host: '127.0.0.1', port: 0, readOnly: false, ...credentials },
    });
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
    await mkdir(ARTIFACTS, { recursive: true });
  });
  afterAll(async () => {
    await browser?.close();
    await dashboard?.close();
    await fleet.stop();
  });

  it('gets 401 without credentials', async () => {
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      // Headless Chromium cannot show the login prompt, so it abandons the navigation after the 401.
      const answer = page.waitForResponse(dashboard.url);
      const navigation = await page.goto(dashboard.url).catch((error: Error) => error);
      const response = await answer;
      expect(response.status()).toBe(401);
      expect(response.headers()['www-authenticate']).toBe('Basic realm="elastiq-dashboard", charset="UTF-8"');
      expect(navigation).toBeInstanceOf(Error);
      expect((navigation as Error).message).toContain('ERR_INVALID_AUTH_CREDENTIALS');
    } finally {
      await context.close();
    }
  });

  it('logs in, sees every elastiq queue and a node job of the running start with its cluster, node and step', async () => {
    const cluster = fleet.clusterDict('browsed', { frontend: { count: 1 }, compute: { count: 2 } });
    await fleet.producer.startCluster({ cluster, cloud: fleet.cloud, runSetup: false });

    const context = await browser.newContext({ httpCredentials: credentials, viewport: { width: 1400, height: 900 } });
    try {
      const page = await context.newPage();
      const response = await page.goto(dashboard.url);
      expect(response?.status()).toBe(200);
      for (const name of Object.values(QUEUE_NAMES)) {
        await page.getByText(name, { exact: true }).first().waitFor();
      }
      await page.screenshot({ path: join(ARTIFACTS, 'dashboard-overview.png'), fullPage: true });

      await page.goto(`${dashboard.url}/queue/${QUEUE_NAMES.nodeProbe}`);
      await page.getByText(/probe browsed\/compute001 · gen 1/).first().waitFor();
      await page.screenshot({ path: join(ARTIFACTS, 'dashboard-node-probe.png'), fullPage: true });

      // The start job of a node is done once its instance is launched; its log names the instance.
      await page.goto(`${dashboard.url}/queue/${QUEUE_NAMES.nodeStart}?status=completed`);
      const startJob = page.locator('div', { has: page.getByText('start browsed/frontend001 · gen 1 · launched', { exact: true }) }).last();
      await startJob.getByText('Logs', { exact: true }).click();
      await startJob.getByText(/instance i-[0-9a-f]+/).waitFor();
      await page.screenshot({ path: join(ARTIFACTS, 'dashboard-node-start-log.png'), fullPage: true });
      expect((await fleet.repository.get('browsed'))?.value.status).toBe('starting');
    } finally {
      await context.close();
    }
    const done = await fleet.producer.waitForCluster('browsed', (current) => current.status !== 'starting', { timeoutMs: 60_000 });
    expect(done?.status).toBe('ready');
  });
});
