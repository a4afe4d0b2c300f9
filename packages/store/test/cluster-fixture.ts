import { type ClusterDict, ClusterDictSchema } from '@elastiq/core';

function node(clusterName: string, kind: string, index: number) {
  return {
    name: `${kind}${String(index).padStart(3, '0')}`,
    clusterName,
    kind,
    imageId: 'ami-00000001',
    imageUser: 'centos',
    flavor: 't3.micro',
    securityGroup: 'default',
    userKeyName: 'elastiq-key',
    userKeyPublic: '/home/user/.ssh/id_ed25519.pub',
    userKeyPrivate: '/home/user/.ssh/id_ed25519',
  };
}

/** A small valid cluster: one frontend, two compute nodes. */
export function makeCluster(name = 'slurm', overrides: Partial<ClusterDict> = {}): ClusterDict {
  return ClusterDictSchema.parse({
    name,
    template: 'slurm',
    userKeyName: 'elastiq-key',
    userKeyPublic: '/home/user/.ssh/id_ed25519.pub',
    userKeyPrivate: '/home/user/.ssh/id_ed25519',
    nodes: {
      frontend: [node(name, 'frontend', 1)],
      compute: [node(name, 'compute', 1), node(name, 'compute', 2)],
    },
    minNodes: { frontend: 1, compute: 1 },
    ...overrides,
  });
}

/** A cluster that uses every field, with values of every shape, to prove nothing is lost. */
export function makeRichCluster(name = 'rich'): ClusterDict {
  const base = makeCluster(name);
  return ClusterDictSchema.parse({
    ...base,
    availabilityZone: 'us-east-1a',
    sshTo: 'frontend',
    threadPoolMaxSize: '4',
    status: 'degraded',
    statusReason: 'compute002 was not reachable: terminated',
    generation: 3,
    cloud: { provider: 'ec2', ec2Url: 'http://127.0.0.1:4566', ec2Region: 'us-east-1', credentialSource: 'env', vpc: 'vpc-1' },
    startDeadline: '2026-01-01T00:10:00.000Z',
    extra: { compute_nodes: '2', login: { image_user: 'centos', image_sudo: true }, network_ids: ['subnet-1'], userKeyStyle: 'camel' },
    pausedNodes: {},
    // Kinds in a non-alphabetical order: the order of kinds is the order of every listing.
    nodes: {
      worker: [
        {
          ...base.nodes.compute[0],
          name: 'worker001',
          kind: 'worker',
          instanceId: 'i-0123456789abcdef0',
          ips: ['127.0.1.1', '[::1]:2222'],
          preferredIp: '127.0.1.1',
          state: 'up',
          hostKey: { type: 'ssh-ed25519', base64: 'AAAAC3NzaC1lZDI1NTE5AAAAIA', fingerprint: 'SHA256:abc' },
          sshPort: 2222,
          setupStatus: 'ok',
          extra: { min_num: 1, boot_disk_size: '20', Camel_Key: 'kept' },
        },
      ],
      Frontend: [{ ...base.nodes.frontend[0], kind: 'Frontend', state: 'failed', lastError: 'InsufficientInstanceCapacity' }],
    },
    minNodes: { worker: 1, Frontend: 1 },
  });
}
