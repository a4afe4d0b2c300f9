import { type ClusterDict, ClusterDictSchema, NodeDictSchema } from '@elastiq/core';

// The cluster every start benchmark launches: one frontend plus N-1 compute nodes of cloud-sim's
// default image, as the CLI would build it from examples/cloud-sim.conf. Key *paths* only.

export interface BenchClusterSpec {
  name: string;
  nodeCount: number;
  privateKeyPath: string;
  publicKeyPath: string;
  /** Seconds; the start gives up after it (bounds a broken run, never reached by a good one). */
  startTimeout: number;
}

export const BENCH_KEY_NAME = 'elastiq-bench';
export const BENCH_IMAGE = { imageId: 'ami-sim', user: 'elastiq', flavor: 't3.micro', securityGroup: 'default' };

/** Node names in launch order: frontend001, compute0001, compute0002, ... */
export function benchNodeNames(nodeCount: number): { kind: string; name: string }[] {
  const compute = Array.from({ length: nodeCount - 1 }, (_, index) => ({ kind: 'compute', name: `compute${String(index + 1).padStart(4, '0')}` }));
  return [{ kind: 'frontend', name: 'frontend001' }, ...compute];
}

export function benchCluster(spec: BenchClusterSpec): ClusterDict {
  const nodes: Record<string, ClusterDict['nodes'][string]> = { frontend: [], compute: [] };
  for (const { kind, name } of benchNodeNames(spec.nodeCount)) {
    nodes[kind].push(
      NodeDictSchema.parse({
        name,
        clusterName: spec.name,
        kind,
        imageId: BENCH_IMAGE.imageId,
        imageUser: BENCH_IMAGE.user,
        flavor: BENCH_IMAGE.flavor,
        securityGroup: BENCH_IMAGE.securityGroup,
        userKeyName: BENCH_KEY_NAME,
        userKeyPublic: spec.publicKeyPath,
        userKeyPrivate: spec.privateKeyPath,
      }),
    );
  }
  return ClusterDictSchema.parse({
    name: spec.name,
    template: 'bench',
    startTimeout: spec.startTimeout,
    userKeyName: BENCH_KEY_NAME,
    userKeyPublic: spec.publicKeyPath,
    userKeyPrivate: spec.privateKeyPath,
    nodes,
    minNodes: { frontend: 1, compute: spec.nodeCount - 1 },
    status: 'starting',
    createdAt: new Date().toISOString(),
    updatedAt: new Date().toISOString(),
  });
}
