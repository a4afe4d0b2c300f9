import { readFile } from 'node:fs/promises';

/**
 * The kernel's high-water mark of a process's resident set (VmHWM in /proc/<pid>/status): the
 * true peak, even between two samples. Null once the process is gone.
 */
export async function peakRssBytes(pid: number): Promise<number | null> {
  let status: string;
  try {
    status = await readFile(`/proc/${pid}/status`, 'utf8');
  } catch {
    return null;
  }
  const match = /^VmHWM:\s+(\d+)\s+kB$/m.exec(status);
  return match ? Number(match[1]) * 1024 : null;
}
