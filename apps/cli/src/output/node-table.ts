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
  const nodes = Object.values(cluster.nodes).flat();
  if (nodes.length === 0) return '(no nodes)';
  // The offering column only for clusters whose kinds fail over (issue 11): other tables stay as they were.
  const withOffering = nodes.some((node) => typeof node.extra.offering === 'string');
  // Likewise the market column only for clusters with a spot kind.
  const withMarket = nodes.some((node) => typeof node.extra.market === 'string');
  const rows = nodes.map((node) => [
    node.name,
    node.kind,
    ...(withOffering ? [typeof node.extra.offering === 'string' ? node.extra.offering : '-'] : []),
    ...(withMarket ? [typeof node.extra.market === 'string' ? node.extra.market : '-'] : []),
    node.instanceId ?? '-',
    describeNodeState(node),
    nodeAddress(node),
    node.lastError ?? '',
  ]);
  return formatTable(['node', 'kind', ...(withOffering ? ['offering'] : []), ...(withMarket ? ['market'] : []), 'instance id', 'state', 'ip', 'last error'], rows);
}

function describeNodeState(node: NodeDict): string {
  return node.setupStatus === null ? node.state : `${node.state}, setup ${node.setupStatus}`;
}
