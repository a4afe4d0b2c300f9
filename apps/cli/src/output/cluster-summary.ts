import { Cluster, type ClusterDict } from '@elastiq/core';

// ElastiCluster's cluster summary (notes §2.3), with the program name changed, the status line
// added (ElastiCluster cannot tell a ready cluster from a broken one) and sftp left out (not
// implemented by elastiq).

export function formatClusterSummary(cluster: ClusterDict): string {
  const lines = [
    '',
    `Cluster name:     ${cluster.name}`,
    `Cluster template: ${cluster.template}`,
    `Status:           ${cluster.status}${cluster.statusReason ? ` (${cluster.statusReason})` : ''}`,
    `Default ssh to node: ${sshTargetName(cluster)}`,
    ...Object.entries(cluster.nodes).map(([kind, nodes]) => `- ${kind} nodes: ${nodes.length}`),
    '',
    'To login on the frontend node, run the command:',
    '',
    `    elastiq ssh ${cluster.name}`,
    '',
  ];
  return lines.join('\n');
}

export function sshTargetName(cluster: ClusterDict): string {
  try {
    return Cluster.fromDict(cluster).getSshToNode().name;
  } catch {
    return 'unknown';
  }
}
