import { BlockList, isIPv4 } from 'node:net';

// Node IP strings come as ElastiCluster stores them: `a.b.c.d`, `a.b.c.d:port`, `[v6]:port`,
// `v6%iface` or a bare IPv6 address (notes §3.3).

/** The address part of a stored IP string, without port, brackets or zone. */
export function hostOfAddress(ip: string): string {
  if (ip.startsWith('[')) return ip.slice(1, ip.indexOf(']') === -1 ? undefined : ip.indexOf(']'));
  const colon = ip.indexOf(':');
  if (colon !== -1 && ip.indexOf(':', colon + 1) === -1) return ip.slice(0, colon);
  const zone = ip.indexOf('%');
  return zone === -1 ? ip : ip.slice(0, zone);
}

const privateRanges = new BlockList();
privateRanges.addSubnet('10.0.0.0', 8, 'ipv4');
privateRanges.addSubnet('172.16.0.0', 12, 'ipv4');
privateRanges.addSubnet('192.168.0.0', 16, 'ipv4');
privateRanges.addSubnet('100.64.0.0', 10, 'ipv4'); // carrier-grade NAT
privateRanges.addSubnet('169.254.0.0', 16, 'ipv4');
privateRanges.addSubnet('fc00::', 7, 'ipv6');
privateRanges.addSubnet('fe80::', 10, 'ipv6');

/**
 * Whether an address is only reachable inside the cloud's network. Loopback is deliberately not
 * private: cloud-sim's instances live on 127.x.y.z and that is the address to connect to.
 */
export function isPrivateAddress(ip: string): boolean {
  const host = hostOfAddress(ip);
  try {
    return privateRanges.check(host, isIPv4(host) ? 'ipv4' : 'ipv6');
  } catch {
    return false; // not an IP literal (a host name): treat it as reachable, like a public address
  }
}
