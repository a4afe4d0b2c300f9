import { readFileSync } from 'node:fs';

/**
 * Whether `pid` is a running process. A zombie counts as dead: in containers whose init does
 * not reap orphans, a killed process can linger as a zombie forever while `kill(pid, 0)` still
 * succeeds.
 */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    // /proc/<pid>/stat: "pid (comm) state ...": comm may contain spaces, so read after the last ')'.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}
