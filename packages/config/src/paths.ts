import { access, constants } from 'node:fs/promises';
import { delimiter, isAbsolute, join, resolve } from 'node:path';

/** `~` and `~/x` expand to the home directory (Python's expanduser; `~user` is left alone). */
export function expandHome(path: string, homeDir: string): string {
  if (path === '~') return homeDir;
  if (path.startsWith('~/')) return join(homeDir, path.slice(2));
  return path;
}

/** ElastiCluster resolves relative key and playbook paths against the process CWD. */
export function absolutePath(path: string, homeDir: string, cwd: string): string {
  return resolve(cwd, expandHome(path, homeDir));
}

export async function isReadableFile(path: string): Promise<boolean> {
  try {
    await access(path, constants.R_OK);
    return true;
  } catch {
    return false;
  }
}

/** The executable a command name resolves to through PATH, or the path itself if it has a `/`. */
export async function findExecutable(command: string, pathVariable: string | undefined, cwd: string): Promise<string | undefined> {
  const candidates = command.includes('/') || isAbsolute(command)
    ? [resolve(cwd, command)]
    : (pathVariable ?? '').split(delimiter).filter(Boolean).map((dir) => join(dir, command));
  for (const candidate of candidates) {
    try {
      await access(candidate, constants.X_OK);
      return candidate;
    } catch {
      // try the next PATH entry
    }
  }
  return undefined;
}
