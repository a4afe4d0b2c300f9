import { existsSync } from 'node:fs';
import { readFile, utimes, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { isProcessAlive, makeTempDir, spawnTracked, type TempDir } from '@elastiq/testing';
import { withFileLock } from '../src/file-lock';
import { LockTimeout } from '../src';

// Real processes, sockets and fsynced files on a shared 2-core machine: jest's 5 s default (the
// preset's testTimeout does not apply in the root's multi-project run) is too tight under load.
jest.setTimeout(60_000);

describe('withFileLock', () => {
  let dir: TempDir;
  let lockPath: string;

  beforeEach(async () => {
    dir = await makeTempDir('file-lock');
    lockPath = join(dir.path, '.slurm.lock');
  });

  afterEach(async () => {
    await dir.cleanup();
  });

  it('never lets two critical sections overlap', async () => {
    let inside = 0;
    let maxInside = 0;
    await Promise.all(
      Array.from({ length: 10 }, () =>
        withFileLock(lockPath, async () => {
          inside += 1;
          maxInside = Math.max(maxInside, inside);
          await new Promise((resolve) => setTimeout(resolve, 2));
          inside -= 1;
        }),
      ),
    );
    expect(maxInside).toBe(1);
    expect(existsSync(lockPath)).toBe(false);
  });

  it('releases the lock when the critical section throws', async () => {
    await expect(withFileLock(lockPath, async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(existsSync(lockPath)).toBe(false);
  });

  it('takes over a lock left by a process that died', async () => {
    const gone = await spawnTracked('true', []);
    await gone.exited;
    expect(isProcessAlive(gone.pid)).toBe(false);
    await writeFile(lockPath, JSON.stringify({ pid: gone.pid, host: hostname(), token: 'crashed' }));
    expect(await withFileLock(lockPath, async () => 'acquired', { timeoutMs: 1000 })).toBe('acquired');
  });

  it('takes over a lock older than staleMs whose owner cannot be checked (another host)', async () => {
    await writeFile(lockPath, JSON.stringify({ pid: 1, host: 'another-host', token: 'old' }));
    const anHourAgo = new Date(Date.now() - 3_600_000);
    await utimes(lockPath, anHourAgo, anHourAgo);
    expect(await withFileLock(lockPath, async () => 'acquired', { timeoutMs: 1000, staleMs: 60_000 })).toBe('acquired');
  });

  it('waits for a fresh lock of a live process and gives up naming the holder', async () => {
    await writeFile(lockPath, JSON.stringify({ pid: process.pid, host: hostname(), token: 'held' }));
    const error = await withFileLock(lockPath, async () => 'acquired', { timeoutMs: 200 }).catch((reason: unknown) => reason);
    expect(error).toBeInstanceOf(LockTimeout);
    expect((error as LockTimeout).message).toContain(`held by pid ${process.pid} on ${hostname()}`);
    expect((error as LockTimeout).hint).toBe(`if no elastiq command is running, remove ${lockPath}`);
    expect(await readFile(lockPath, 'utf8')).toContain('held');
  });

  it('does not delete a lock that is no longer its own when releasing', async () => {
    await withFileLock(lockPath, async () => {
      // As if this holder stalled, was judged stale, and another process took the lock.
      await writeFile(lockPath, JSON.stringify({ pid: process.pid, host: hostname(), token: 'someone else' }));
    });
    expect(await readFile(lockPath, 'utf8')).toContain('someone else');
  });
});
