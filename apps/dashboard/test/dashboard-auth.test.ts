import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { loadRuntimeSettings } from '@elastiq/config';
import { ConfigurationError } from '@elastiq/core';
import { QUEUE_NAMES } from '@elastiq/queue';
import { makeTempDir, type RunningRedis, startRedis, type TempDir } from '@elastiq/testing';
import { type DashboardServerSettings, type RunningDashboard, startDashboard } from '../src';

// The real server on 127.0.0.1 (a free port) over a real redis-server, asked with plain fetch.

function basic(username: string, password: string): Record<string, string> {
  return { authorization: `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}` };
}

describe('elastiq-dashboard authentication', () => {
  let redis: RunningRedis;
  let temp: TempDir;
  const running: RunningDashboard[] = [];

  const settings = (dashboard: Partial<DashboardServerSettings['dashboard']> = {}): DashboardServerSettings => ({
    redis: loadRuntimeSettings({ ELASTIQ_REDIS_URL: redis.url }).redis,
    queuePrefix: `auth${process.pid}`,
    dashboard: { host: '127.0.0.1', port: 0, readOnly: false, ...dashboard },
  });
  const start = async (dashboard: Partial<DashboardServerSettings['dashboard']> = {}) => {
    const started = await startDashboard(settings(dashboard));
    running.push(started);
    return started;
  };

  beforeAll(async () => {
    redis = await startRedis();
    temp = await makeTempDir('dashboard-auth');
  });
  afterEach(async () => {
    await Promise.all(running.splice(0).map((dashboard) => dashboard.close()));
  });
  afterAll(async () => {
    await redis?.stop();
    await temp?.cleanup();
  });

  describe('with configured credentials', () => {
    let dashboard: RunningDashboard;
    beforeEach(async () => {
      dashboard = await start({ username: 'operator', password: 'correct horse:battery' });
    });

    it('binds 127.0.0.1 and serves Bull Board at /admin/queues', () => {
      expect(dashboard.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/admin\/queues$/);
      expect(dashboard.credentials).toEqual({ username: 'operator', password: 'correct horse:battery', source: 'environment' });
    });

    it('answers 401 with a basic-auth challenge when no credentials are sent', async () => {
      for (const path of ['', '/api/queues', '/static/images/logo.svg']) {
        const response = await fetch(`${dashboard.url}${path}`);
        expect(response.status).toBe(401);
        expect(response.headers.get('www-authenticate')).toBe('Basic realm="elastiq-dashboard", charset="UTF-8"');
      }
      expect((await fetch(dashboard.url.replace('/admin/queues', '/'))).status).toBe(401);
    });

    it('answers 401 to a wrong password, a wrong username, a prefix of the password and a malformed header', async () => {
      for (const headers of [
        basic('operator', 'correct horse'),
        basic('operator', 'correct horse:battery!'),
        basic('admin', 'correct horse:battery'),
        basic('', ''),
        { authorization: 'Bearer correct horse:battery' },
        { authorization: `Basic ${Buffer.from('operator').toString('base64')}` },
      ]) {
        expect((await fetch(dashboard.url, { headers })).status).toBe(401);
      }
    });

    it('serves the board with the right credentials (a password may contain ":")', async () => {
      const page = await fetch(dashboard.url, { headers: basic('operator', 'correct horse:battery') });
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('<title>elastiq</title>');
    });

    it('lists every elastiq queue through the board API', async () => {
      const response = await fetch(`${dashboard.url}/api/queues`, { headers: basic('operator', 'correct horse:battery') });
      expect(response.status).toBe(200);
      const body = (await response.json()) as { queues: { name: string; readOnlyMode: boolean }[] };
      expect(body.queues.map((queue) => queue.name).sort()).toEqual(Object.values(QUEUE_NAMES).sort());
      expect(body.queues.every((queue) => queue.readOnlyMode === false)).toBe(true);
    });
  });

  it('generates a password on loopback when none is configured, different on each start', async () => {
    const first = await start();
    const second = await start();
    expect(first.credentials.source).toBe('generated');
    expect(first.credentials.username).toBe('elastiq');
    expect(first.credentials.password).toMatch(/^[A-Za-z0-9_-]{24}$/);
    expect(second.credentials.password).not.toBe(first.credentials.password);
    expect((await fetch(first.url, { headers: basic('elastiq', first.credentials.password) })).status).toBe(200);
    expect((await fetch(first.url, { headers: basic('elastiq', second.credentials.password) })).status).toBe(401);
  });

  it('reads the password from ELASTIQ_DASHBOARD_PASSWORD_FILE without its trailing newline', async () => {
    const file = join(temp.path, 'dashboard-password');
    await writeFile(file, 'from-a-file\n', { mode: 0o600 });
    const dashboard = await start({ username: 'operator', passwordFile: file });
    expect(dashboard.credentials.source).toBe('file');
    expect((await fetch(dashboard.url, { headers: basic('operator', 'from-a-file') })).status).toBe(200);
    expect((await fetch(dashboard.url, { headers: basic('operator', 'from-a-file\n') })).status).toBe(401);
  });

  it('names the variable when the password file is missing or empty', async () => {
    await expect(start({ passwordFile: join(temp.path, 'absent') })).rejects.toThrow(
      `ELASTIQ_DASHBOARD_PASSWORD_FILE: cannot read ${join(temp.path, 'absent')} (ENOENT)`,
    );
    const empty = join(temp.path, 'empty');
    await writeFile(empty, '\n');
    await expect(start({ passwordFile: empty })).rejects.toThrow(`ELASTIQ_DASHBOARD_PASSWORD_FILE: ${empty} is empty`);
  });

  it('refuses to start on a non-loopback address without credentials, before listening', async () => {
    // Refused before binding, so no traffic ever leaves loopback.
    const refusal = start({ host: '0.0.0.0', port: 1 });
    await expect(refusal).rejects.toThrow(ConfigurationError);
    await expect(refusal).rejects.toThrow(/^ELASTIQ_DASHBOARD_USERNAME: must be set: the dashboard would listen on 0\.0\.0\.0, which is not a loopback address$/);
    await expect(start({ host: '0.0.0.0', port: 1, username: 'operator' })).rejects.toThrow(/^ELASTIQ_DASHBOARD_PASSWORD: must be set/);
    await expect(start({ host: '::', port: 1, password: 'only-a-password' })).rejects.toThrow(/^ELASTIQ_DASHBOARD_USERNAME: must be set/);
    expect(running).toHaveLength(0);
  });

  it('says when Redis cannot be reached, without the password of the Redis URL', async () => {
    const attempt = startDashboard({ ...settings({ password: 'p' }), redis: loadRuntimeSettings({ ELASTIQ_REDIS_URL: 'redis://:redis-secret@127.0.0.1:1' }).redis });
    await expect(attempt).rejects.toThrow('cannot reach Redis at redis://:***@127.0.0.1:1 (ECONNREFUSED)');
    await expect(attempt).rejects.not.toThrow(/redis-secret/);
  });

  it('says which port is taken instead of crashing with a stack trace', async () => {
    const first = await start({ password: 'p' });
    await expect(start({ password: 'p', port: first.port })).rejects.toThrow(`cannot listen on 127.0.0.1:${first.port} (EADDRINUSE)`);
  });
});
