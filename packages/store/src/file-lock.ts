import { randomBytes } from 'node:crypto';
import { link, open, readFile, rename, stat, unlink } from 'node:fs/promises';
import { hostname } from 'node:os';
import { EXIT_CODES, ElastiqError } from '@elastiq/core';

export interface FileLockOptions {
  /** Give up after this long (default 10 s). */
  timeoutMs?: number;
  /** A lock older than this is stale even if its owner looks alive (default 30 s). */
  staleMs?: number;
}

interface LockOwner {
  pid: number;
  host: string;
}

export class LockTimeout extends ElastiqError {
  constructor(lockPath: string, owner: string) {
    super(`could not lock ${lockPath}: held by ${owner}`, {
      hint: `if no elastiq command is running, remove ${lockPath}`,
      exitCode: EXIT_CODES.tempFail,
    });
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'; // exists, owned by someone else
  }
}

/** What makes one lock file distinguishable from a later one at the same path (inodes are reused). */
interface LockIdentity {
  inode: number;
  mtimeMs: number;
  content: string;
}

async function identify(path: string): Promise<LockIdentity | null> {
  try {
    const info = await stat(path);
    return { inode: info.ino, mtimeMs: info.mtimeMs, content: await readFile(path, 'utf8') };
  } catch {
    return null; // released meanwhile
  }
}

function parseOwner(content: string): LockOwner | null {
  try {
    const owner = JSON.parse(content) as LockOwner;
    return typeof owner.pid === 'number' && typeof owner.host === 'string' ? owner : null;
  } catch {
    return null; // its creator has not written it yet
  }
}

function sameLock(a: LockIdentity, b: LockIdentity): boolean {
  return a.inode === b.inode && a.mtimeMs === b.mtimeMs && a.content === b.content;
}

/**
 * Removes a stale lock without ever removing a fresh one: the lock is first renamed to a unique
 * name (atomic), and only deleted if it is still the very file judged stale. If a fresh lock was
 * caught instead, it is linked back in place (link fails if yet another lock appeared; that one
 * then wins and the caught one's holder finds its lock gone at release).
 */
async function breakStaleLock(lockPath: string, stale: LockIdentity): Promise<void> {
  const aside = `${lockPath}.stale-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    await rename(lockPath, aside);
  } catch {
    return; // someone else broke or released it first
  }
  const caught = await identify(aside);
  if (caught === null || !sameLock(caught, stale)) await link(aside, lockPath).catch(() => undefined);
  await unlink(aside).catch(() => undefined);
}

function judge(lock: LockIdentity, staleMs: number): { stale: boolean; owner: string } {
  const owner = parseOwner(lock.content);
  const ageMs = Date.now() - lock.mtimeMs;
  const ownerDied = owner !== null && owner.host === hostname() && !isAlive(owner.pid);
  const description = owner === null ? 'an unknown process' : `pid ${owner.pid} on ${owner.host}`;
  return { stale: ownerDied || ageMs > staleMs, owner: `${description} for ${Math.round(ageMs)} ms` };
}

/**
 * Runs `critical` while holding `lockPath`, a file created with O_EXCL: only one process on any
 * host sharing the directory holds it at a time. A lock left by a crashed process is recovered.
 */
export async function withFileLock<T>(lockPath: string, critical: () => Promise<T>, options: FileLockOptions = {}): Promise<T> {
  const { timeoutMs = 10_000, staleMs = 30_000 } = options;
  const deadline = Date.now() + timeoutMs;
  // The token tells our lock file from a later one at the same path when releasing.
  const ownContent = JSON.stringify({ pid: process.pid, host: hostname(), token: randomBytes(8).toString('hex') });
  for (let attempt = 0; ; attempt += 1) {
    try {
      const handle = await open(lockPath, 'wx');
      try {
        await handle.writeFile(ownContent);
      } catch (writeError) {
        await unlink(lockPath).catch(() => undefined);
        throw writeError;
      } finally {
        await handle.close();
      }
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const lock = await identify(lockPath);
      if (lock === null) continue; // released meanwhile
      const { stale, owner } = judge(lock, staleMs);
      if (stale) {
        await breakStaleLock(lockPath, lock);
        continue;
      }
      if (Date.now() > deadline) throw new LockTimeout(lockPath, owner);
      // Critical sections last milliseconds: poll fast, with jitter so waiters do not stampede.
      await sleep(1 + Math.random() * Math.min(2 + attempt, 20));
    }
  }
  try {
    return await critical();
  } finally {
    // Only release our own lock: if it was broken as stale, the file may be someone else's now.
    const current = await readFile(lockPath, 'utf8').catch(() => null);
    if (current === ownContent) await unlink(lockPath).catch(() => undefined);
  }
}
