import { readFile } from 'node:fs/promises';
import { type HostKey, hostKeyFromBlob, knownHostsHost } from '@elastiq/ssh';

/**
 * The host keys the fleet pinned, read back from the cluster's known_hosts (the file
 * `@elastiq/ssh`'s writeKnownHosts writes: plain `host` / `[host]:port` entries, one key each).
 * Hashed entries and markers (@cert-authority, @revoked) are not written by elastiq and are skipped.
 */
export async function readPinnedHostKeys(knownHostsPath: string): Promise<Map<string, HostKey>> {
  const text = await readFile(knownHostsPath, 'utf8');
  const keys = new Map<string, HostKey>();
  for (const line of text.split('\n')) {
    const [hosts, , base64] = line.trim().split(/\s+/);
    if (hosts === undefined || base64 === undefined || hosts.startsWith('#') || hosts.startsWith('@') || hosts.startsWith('|')) {
      continue;
    }
    let hostKey: HostKey;
    try {
      hostKey = hostKeyFromBlob(Buffer.from(base64, 'base64'));
    } catch {
      continue;
    }
    for (const host of hosts.split(',')) if (!keys.has(host)) keys.set(host, hostKey);
  }
  return keys;
}

export function pinnedHostKeyOf(keys: Map<string, HostKey>, host: string, port: number): HostKey | undefined {
  return keys.get(knownHostsHost(host, port));
}
