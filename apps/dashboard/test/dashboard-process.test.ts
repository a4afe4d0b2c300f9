import { join } from 'node:path';
import { freePort, type RunningRedis, spawnTracked, startRedis, type TrackedProcess, waitFor } from '@elastiq/testing';

// The elastiq-dashboard program as a user runs it (built dist/main.js, settings from the
// environment): what it prints, what it keeps to itself, how it refuses and how it stops.

const MAIN = join(__dirname, '..', 'dist', 'main.js');

describe('the elastiq-dashboard program', () => {
  let redis: RunningRedis;
  const processes: TrackedProcess[] = [];

  const run = async (env: Record<string, string>) => {
    const started = await spawnTracked(process.execPath, [MAIN], {
      env: { PATH: process.env.PATH, ELASTIQ_REDIS_URL: redis.url, ELASTIQ_QUEUE_PREFIX: `proc${process.pid}`, ...env },
    });
    processes.push(started);
    return started;
  };

  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(async () => {
    await Promise.all(processes.map((started) => started.stop('SIGKILL')));
    await redis?.stop();
  });

  it('prints its URL and a generated password once, logs without the password, and stops on SIGTERM', async () => {
    const port = await freePort();
    const dashboard = await run({ ELASTIQ_DASHBOARD_PORT: String(port), ELASTIQ_LOG_LEVEL: 'info' });
    const output = await waitFor(() => (dashboard.output().includes('elastiq-dashboard started') ? dashboard.output() : null), {
      timeoutMs: 15_000,
      description: 'the dashboard to report that it started',
    });
    expect(output).toContain(`elastiq-dashboard: http://127.0.0.1:${port}/admin/queues\n  username: elastiq\n`);
    const password = /password: ([A-Za-z0-9_-]{24}) {3}\(generated for this run/.exec(output)?.[1] as string;
    expect(password).toBeDefined();
    expect(output.split(password)).toHaveLength(2);
    const logLine = output.split('\n').find((line) => line.includes('"msg":"elastiq-dashboard started"')) as string;
    expect(JSON.parse(logLine)).toMatchObject({ passwordSource: 'generated', username: 'elastiq', url: `http://127.0.0.1:${port}/admin/queues` });

    const authorization = `Basic ${Buffer.from(`elastiq:${password}`).toString('base64')}`;
    expect((await fetch(`http://127.0.0.1:${port}/admin/queues`, { headers: { authorization } })).status).toBe(200);
    expect((await fetch(`http://127.0.0.1:${port}/admin/queues`)).status).toBe(401);

    expect(await dashboard.stop('SIGTERM', 10_000)).toEqual({ code: 0, signal: null });
  });

  it('refuses a non-loopback address without credentials in one line, exit code 78, without listening', async () => {
    const dashboard = await run({ ELASTIQ_DASHBOARD_HOST: '0.0.0.0', ELASTIQ_DASHBOARD_PORT: '1' });
    expect(await dashboard.exited).toEqual({ code: 78, signal: null });
    await waitFor(() => dashboard.output().endsWith('\n'), { description: 'the refusal to be written' });
    expect(dashboard.output()).toBe(
      'elastiq-dashboard: ELASTIQ_DASHBOARD_USERNAME: must be set: the dashboard would listen on 0.0.0.0, which is not a loopback address ' +
        '(set ELASTIQ_DASHBOARD_USERNAME and ELASTIQ_DASHBOARD_PASSWORD (or ELASTIQ_DASHBOARD_PASSWORD_FILE), or listen on 127.0.0.1)\n',
    );
  });

  it('names the variable of a bad setting', async () => {
    const dashboard = await run({ ELASTIQ_DASHBOARD_PORT: 'eighty' });
    expect((await dashboard.exited).code).toBe(78);
    await waitFor(() => dashboard.output().endsWith('\n'), { description: 'the error to be written' });
    expect(dashboard.output()).toBe("elastiq-dashboard: ELASTIQ_DASHBOARD_PORT: must be a TCP port (1-65535), got 'eighty'\n");
  });
});
