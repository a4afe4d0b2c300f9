import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { registerDir, unregisterDir } from './process-registry';

export interface TempDir {
  path: string;
  /** Removes the directory and everything in it. Safe to call twice. */
  cleanup(): Promise<void>;
}

/** A fresh directory under the OS temp dir, also removed at process exit if the test forgets. */
export async function makeTempDir(prefix: string): Promise<TempDir> {
  const safePrefix = prefix.replace(/[^A-Za-z0-9_.-]/g, '-');
  const path = await mkdtemp(join(tmpdir(), `elastiq-${safePrefix}-`));
  registerDir(path);
  return {
    path,
    async cleanup() {
      await rm(path, { recursive: true, force: true });
      unregisterDir(path);
    },
  };
}
