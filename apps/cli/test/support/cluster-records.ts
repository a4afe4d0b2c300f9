import { type ClusterDict, ClusterDictSchema } from '@elastiq/core';

function node(cluster: string, kind: string, index: number, live: Record<string, unknown>) {
  return {
    name: `${kind}${String(index).padStart(3, '0')}`,
    clusterName: cluster,
    kind,
    imageId: 'ami-sim',
    imageUser: 'elastiq',
    flavor: 't3.micro',
    securityGroup: 'default',
    userKeyName: 'elastiq-demo',
    userKeyPublic: '/keys/id_ed25519.pub',
    userKeyPrivate: '/keys/id_ed25519',
    ...live,
  };
}

/** A started cluster as the fleet leaves it: one node up, one whose probe failed. */
export function degradedCluster(name: string): ClusterDict {
  return ClusterDictSchema.parse({
    name,
    template: 'sim-slurm',
    userKeyName: 'elastiq-demo',
    userKeyPublic: '/keys/id_ed25519.pub',
    userKeyPrivate: '/keys/id_ed25519',
    status: 'degraded',
    statusReason: '1 of 2 compute nodes up (min 1)',
    sshTo: 'frontend',
    nodes: {
      frontend: [node(name, 'frontend', 1, { instanceId: 'i-0000000000000001', ips: ['127.0.9.1'], preferredIp: '127.0.9.1', state: 'up' })],
      compute: [
        node(name, 'compute', 1, { instanceId: 'i-0000000000000002', ips: ['127.0.9.2'], preferredIp: '127.0.9.2', state: 'up', sshPort: 2222 }),
        node(name, 'compute', 2, { instanceId: 'i-0000000000000003', state: 'down', lastError: 'timeout: no SSH handshake within 5 s' }),
      ],
    },
  });
}

/** A start that has not got any instance yet. */
export function startingCluster(name: string): ClusterDict {
  return ClusterDictSchema.parse({
    name,
    template: 'other',
    userKeyName: 'k',
    userKeyPublic: '/keys/id_ed25519.pub',
    userKeyPrivate: '/keys/id_ed25519',
    status: 'starting',
    nodes: { compute: [node(name, 'compute', 1, {})] },
  });
}
