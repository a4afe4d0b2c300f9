import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { makeTempDir, type RunningRedis, spawnTracked, startRedis, type TempDir } from '@elastiq/testing';
import { CLI_MAIN } from './fleet/elastiq-cli';

// A Redis that may evict keys loses BullMQ's jobs and locks without an error: the worker and the
// CLI refuse it when they start, in one line that says how to fix it (exit 78, EX_CONFIG).

const WORKER_MAIN = join(__dirname, '..', 'apps', 'worker', 'dist', 'main.js');
/** The one line, after the program's own prefix (`elastiq-worker: `, `error: `). */
function refusal(prefix: string): RegExp {
  return new RegExp(`^${prefix}Redis at 127\\.0\\.0\\.1:\\d+ has maxmemory-policy allkeys-lru: it may evict the fleet's jobs and records \\(set \`maxmemory-policy noeviction\` .*\\)$`);
}

describe('a Redis whose maxmemory-policy is not noeviction', () => {
  let redis: RunningRedis;
  let home: TempDir;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    redis = await startRedis({ maxmemoryPolicy: 'allkeys-lru' });
    home = await makeTempDir('eviction-home');
    env = { PATH: process.env.PATH, HOME: home.path, ELASTIQ_REDIS_URL: redis.url, ELASTIQ_QUEUE_PREFIX: `evict${process.pid}` };
  });
  afterAll(async () => {
    await redis?.stop();
    await home?.cleanup();
  });

  it('is refused by elastiq-worker before it takes any job', async () => {
    const worker = await spawnTracked(process.execPath, [WORKER_MAIN], { env });
    expect(await worker.exited).toEqual({ code: 78, signal: null });
    expect(worker.output().trim()).toMatch(refusal('elastiq-worker: '));
  });

  it('is refused by the CLI before a command uses it', async () => {
    const result = await new Promise<{ code: number; stderr: string }>((resolve) => {
      execFile(process.execPath, [CLI_MAIN, 'list'], { env }, (error, _stdout, stderr) => resolve({ code: error === null ? 0 : Number(error.code), stderr }));
    });
    expect(result.code).toBe(78);
    expect(result.stderr.trim()).toMatch(refusal('error: '));
  });
});
