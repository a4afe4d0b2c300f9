import { readdir, readFile } from 'node:fs/promises';

/** Parent pid → child pids, read once from /proc so a shutdown of 1000 instances scans once. */
export async function snapshotChildrenByParent(): Promise<Map<number, number[]>> {
  const childrenByParent = new Map<number, number[]>();
  const entries = await readdir('/proc');
  await Promise.all(
    entries
      .filter((entry) => /^\d+$/.test(entry))
      .map(async (entry) => {
        const parent = await parentPidOf(entry);
        if (parent === undefined) return;
        const siblings = childrenByParent.get(parent) ?? [];
        siblings.push(Number(entry));
        childrenByParent.set(parent, siblings);
      }),
  );
  return childrenByParent;
}

export function descendantsOf(pid: number, childrenByParent: Map<number, number[]>): number[] {
  const found: number[] = [];
  const queue = [...(childrenByParent.get(pid) ?? [])];
  while (queue.length > 0) {
    const next = queue.shift()!;
    found.push(next);
    queue.push(...(childrenByParent.get(next) ?? []));
  }
  return found;
}

/**
 * True while the process exists and is not a zombie. Killed sessions of a killed sshd are
 * re-parented to pid 1 and stay zombies until it reaps them: they are dead all the same.
 */
export async function isRunning(pid: number): Promise<boolean> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

/** Resolves once none of the pids is running, or false after the timeout. */
export async function waitUntilGone(pids: number[], timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  let remaining = pids;
  while (remaining.length > 0) {
    const running = await Promise.all(remaining.map(isRunning));
    remaining = remaining.filter((_, index) => running[index]);
    if (remaining.length === 0) return true;
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return true;
}

/** Sends a signal, ignoring processes that are already gone. */
export function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
}

async function parentPidOf(pid: string): Promise<number | undefined> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may contain spaces and parentheses: fields resume after the last ')'.
    const afterName = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(afterName[1]);
  } catch {
    return undefined; // the process exited while we were reading
  }
}
