import { Cluster, type NodeSpec } from '@elastiq/core';

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
