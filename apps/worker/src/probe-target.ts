import type { ClusterDict, NodeDict } from '@elastiq/core';
import type { ProbeTarget } from '@elastiq/ssh';

/**
 * How the fleet reaches a node over SSH: as the image user, with the cluster key, within
 * ssh_probe_timeout, through ssh_proxy_command when set, holding it to its pinned host key.
 * One place, so the start's probe and setup's pre-check can never reach a node differently.
 */
export function probeTargetFor(record: ClusterDict, node: NodeDict, host: string): ProbeTarget {
  return {
    host,
    port: node.sshPort,
    username: node.imageUser,
    privateKeyPath: node.userKeyPrivate,
    timeoutMs: record.sshProbeTimeout * 1000,
    ...(record.sshProxyCommand ? { proxyCommand: record.sshProxyCommand } : {}),
    pinnedHostKey: node.hostKey,
  };
}
