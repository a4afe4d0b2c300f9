import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { KnownHostsEntry } from './contracts';

/** OpenSSH writes a bare host for port 22 and `[host]:port` otherwise; it matches lookups the same way. */
export function knownHostsHost(host: string, port: number): string {
  return port === 22 ? host : `[${host}]:${port}`;
}

export function knownHostsLine(entry: KnownHostsEntry): string {
  return `${knownHostsHost(entry.host, entry.port)} ${entry.hostKey.type} ${entry.hostKey.base64}`;
}

/**
 * Writes the cluster's known_hosts for the user's `ssh` and for Ansible. Atomic (temp file +
 * rename in the same directory) so a concurrent `ssh` never reads half a file; duplicate lines
 * are written once.
 */
export async function writeKnownHosts(path: string, entries: readonly KnownHostsEntry[]): Promise<void> {
  const lines = [...new Set(entries.map(knownHostsLine))];
  const directory = dirname(path);
  await mkdir(directory, { recursive: true });
  const temporary = join(directory, `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    await writeFile(temporary, lines.length > 0 ? `${lines.join('\n')}\n` : '', { mode: 0o644 });
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}
