import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';

/**
 * The container a process runs in, as the engine names it, read from the bind mounts Docker
 * makes for /etc/hostname and /etc/hosts (`.../containers/<64 hex>/hostname`). Null outside a
 * container. Replicas of one compose service on the host network share the host's hostname and
 * often the same pid, so this is what tells them apart.
 */
export function containerIdFrom(mountinfo: string): string | null {
  const match = /\/containers\/([0-9a-f]{64})\/(?:hostname|hosts|resolv\.conf)\s/.exec(mountinfo);
  return match === null ? null : match[1];
}

function readMountinfo(): string {
  try {
    return readFileSync('/proc/self/mountinfo', 'utf8');
  } catch {
    return '';
  }
}

/** `<hostname>-<pid>`, or `<hostname>-<container id, 12 hex>-<pid>` inside a container. */
export function defaultWorkerName(mountinfo: string = readMountinfo(), host: string = hostname(), pid: number = process.pid): string {
  const container = containerIdFrom(mountinfo);
  return container === null ? `${host}-${pid}` : `${host}-${container.slice(0, 12)}-${pid}`;
}
