import type { ClusterDict, NodeDict } from '@elastiq/core';
import { formatTable } from './table';

/** A node's address as a user would type it: the connection IP, with the port when not 22. */
export function nodeAddress(node: NodeDict): string {
  const ip = node.preferredIp ?? node.ips[0];
  if (ip === undefined) return '-';
  return node.sshPort === 22 ? ip : `${ip}:${node.sshPort}`;
}

/** One row per node, in kind order: what `list-nodes` and the end of `start` show. */
export function formatNodeTable(cluster: ClusterDict): string {
  const rows = Object.values(cluster.nodes)
    .flat()
    .map((node) => [node.name, node.kind, node.instanceId ?? '-', describeNodeState(node), nodeAddress(node), node.lastError ?? '']);
  if (rows.length === 0) return '(no nodes)';
  return formatTable(['node', 'kind', 'instance id', 'state', 'ip', 'last error'], rows);
}

function describeNodeState(node: NodeDict): string {
  return node.setupStatus === null ? node.state : `${node.state}, setup ${node.setupStatus}`;
}
