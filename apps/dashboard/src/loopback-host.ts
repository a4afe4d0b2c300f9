import { isIPv4, isIPv6 } from 'node:net';

/**
 * Whether binding `host` keeps the dashboard reachable from this machine only. Hostnames other
 * than `localhost` count as non-loopback: what they resolve to can change after the check.
 */
export function isLoopbackHost(host: string): boolean {
  const bare = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
  if (bare.toLowerCase() === 'localhost') return true;
  if (isIPv4(bare)) return bare.split('.')[0] === '127';
  if (isIPv6(bare)) {
    const lower = bare.toLowerCase();
    if (lower === '::1' || lower === '0:0:0:0:0:0:0:1') return true;
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(lower);
    return mapped !== null && isLoopbackHost(mapped[1] as string);
  }
  return false;
}
