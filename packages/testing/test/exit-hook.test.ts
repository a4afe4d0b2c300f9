import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { isProcessAlive, makeTempDir, spawnTracked, waitFor } from '../src';

// Real processes, sockets and fsynced files on a shared 2-core machine: jest's 5 s default (the
// preset's testTimeout does not apply in the root's multi-project run) is too tight under load.
jest.setTimeout(60_000);

const execFileAsync = promisify(execFile);


describe('the kill-on-exit safety net', () => {
  it('kills a redis-server the test forgot to stop when the test process exits', async () => {
    const dir = await makeTempDir('exit-hook');
    try {
      const script = join(dir.path, 'forgets-to-stop.ts');
      const harness = JSON.stringify(join(__dirname, '..', 'src'));
      await writeFile(
        script,
        `const { startRedis } = require(${harness});
         startRedis().then((redis) => { console.log(JSON.stringify({ pid: redis.pid, dir: redis.dir })); process.exit(3); });`,
      );
      const { stdout } = await execFileAsync(process.execPath, ['--require', 'tsx/cjs', script], {
        cwd: join(__dirname, '..'),
      }).catch((error: { code: number; stdout: string }) => {
        expect(error.code).toBe(3);
        return error;
      });
      const { pid } = JSON.parse(stdout.trim()) as { pid: number; dir: string };
      // SIGKILL is delivered asynchronously; the process disappears a moment later.
      await waitFor(() => !isProcessAlive(pid), { timeoutMs: 3000, description: `redis-server pid ${pid} to die` });
      expect(isProcessAlive(pid)).toBe(false);
    } finally {
      await dir.cleanup();
    }
  });

  it('kills it and removes its dir when the test process is terminated by a signal, then dies of that signal', async () => {
    const dir = await makeTempDir('exit-hook');
    try {
      const script = join(dir.path, 'gets-terminated.ts');
      const harness = JSON.stringify(join(__dirname, '..', 'src'));
      await writeFile(
        script,
        `const { startRedis } = require(${harness});
         startRedis().then((redis) => { console.log(JSON.stringify({ pid: redis.pid, dir: redis.dir })); setInterval(() => {}, 1000); });`,
      );
      const parent = await spawnTracked(process.execPath, ['--require', 'tsx/cjs', script], { cwd: join(__dirname, '..') });
      const line = await waitFor(() => parent.output().split('\n').find((text) => text.startsWith('{')), {
        timeoutMs: 10_000,
        description: 'the child to start redis',
      });
      const { pid, dir: redisDir } = JSON.parse(line) as { pid: number; dir: string };
      expect(isProcessAlive(pid)).toBe(true);

      process.kill(parent.pid, 'SIGTERM');
      expect(await parent.exited).toEqual({ code: null, signal: 'SIGTERM' });
      await waitFor(() => !isProcessAlive(pid), { timeoutMs: 3000, description: `redis-server pid ${pid} to die` });
      expect(existsSync(redisDir)).toBe(false);
    } finally {
      await dir.cleanup();
    }
  });
});
