import { Cluster, type ClusterStatus, type NodeSpec } from '@elastiq/core';

// Shared builders for the cluster specifications; paths only, as a real record holds.
export const computeSpec: NodeSpec = {
  imageId: 'ami-0123',
  imageUser: 'ubuntu',
  flavor: 't3.large',
  securityGroup: 'default',
  extra: { min_num: 2, login: 'ubuntu' },
};

export function newCluster(name = 'slurm'): Cluster {
  return new Cluster({
    name,
    template: 'slurm-on-aws',
    userKeyName: 'elastiq',
    userKeyPublic: '/home/u/.ssh/id_ed25519.pub',
    userKeyPrivate: '/home/u/.ssh/id_ed25519',
  });
}

/** Three compute nodes with instances and public addresses, all up: a started cluster. */
export function startedCluster(status: ClusterStatus = 'ready'): Cluster {
  const cluster = newCluster('hpc');
  cluster.addNodes('compute', 3, computeSpec);
  cluster.getAllNodes().forEach((node, index) => {
    node.instanceId = `i-${index + 1}`;
    node.ips = [`203.0.113.${index + 1}`];
    node.preferredIp = node.ips[0];
    node.state = 'up';
  });
  cluster.status = status;
  return cluster;
}
