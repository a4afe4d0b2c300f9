import { checkRemoval, Cluster, growthMinimums, planGrowth, planShrink, ResizeRefused } from '@elastiq/core';
import { computeSpec, newCluster } from './fixtures';

function clusterWith(names: Record<string, string[]>, sshTo: string | null = null): Cluster {
  const cluster = newCluster();
  cluster.sshTo = sshTo;
  for (const [kind, nodeNames] of Object.entries(names)) for (const name of nodeNames) cluster.addNode(kind, computeSpec, name);
  // A record read back, as the CLI does: every stored name is marked used.
  return Cluster.fromDict(cluster.toDict());
}

describe('planGrowth', () => {
  it('names the added nodes by filling the holes first, then continuing the range', () => {
    const cluster = clusterWith({ frontend: ['frontend001'], compute: ['compute001', 'compute003', 'compute005'] });
    const added = planGrowth(cluster, [{ kind: 'compute', count: 3 }], () => undefined);
    expect(added.map((node) => node.name)).toEqual(['compute002', 'compute004', 'compute006']);
    expect(added[0]).toMatchObject({ imageId: computeSpec.imageId, flavor: computeSpec.flavor, state: 'new' });
  });

  it('launches a new kind from the template spec, and refuses one that neither the cluster nor the template has', () => {
    const cluster = clusterWith({ compute: ['compute001'] });
    const gpu = { ...computeSpec, flavor: 'g5.xlarge' };
    expect(planGrowth(cluster, [{ kind: 'gpu', count: 1 }], (kind) => (kind === 'gpu' ? gpu : undefined))[0]).toMatchObject({ name: 'gpu001', flavor: 'g5.xlarge' });
    expect(() => planGrowth(cluster, [{ kind: 'fpga', count: 1 }], () => undefined)).toThrow(ResizeRefused);
    expect(cluster.findNode('fpga001')).toBeUndefined();
  });
});

describe('growthMinimums', () => {
  it('wants every added node by default and lets --min lower one kind', () => {
    expect(growthMinimums([{ kind: 'compute', count: 4 }, { kind: 'gpu', count: 1 }], [{ kind: 'compute', count: 2 }])).toEqual({ compute: 2, gpu: 1 });
  });

  it('refuses a --min above the added count or for a kind that is not added', () => {
    expect(() => growthMinimums([{ kind: 'compute', count: 2 }], [{ kind: 'compute', count: 3 }])).toThrow(/only 2 `compute` node/);
    expect(() => growthMinimums([{ kind: 'compute', count: 2 }], [{ kind: 'gpu', count: 1 }])).toThrow(/no nodes of kind `gpu` are added/);
  });
});

describe('planShrink', () => {
  it('removes the highest-indexed nodes of the kind', () => {
    const cluster = clusterWith({ frontend: ['frontend001'], compute: ['compute001', 'compute002', 'compute010', 'compute003'] });
    expect(planShrink(cluster, [{ kind: 'compute', count: 2 }]).map((node) => node.name)).toEqual(['compute010', 'compute003']);
  });

  it('never removes the ssh_to node, and says how to remove it by name', () => {
    const cluster = clusterWith({ compute: ['compute001', 'compute002', 'compute003'] }, 'compute003');
    expect(planShrink(cluster, [{ kind: 'compute', count: 2 }]).map((node) => node.name)).toEqual(['compute002', 'compute001']);
    expect(() => planShrink(cluster, [{ kind: 'compute', count: 3 }])).toThrow(/only 2 can be removed \(compute003 is the ssh_to node/);
  });

  it('refuses a kind the cluster does not have', () => {
    expect(() => planShrink(clusterWith({ compute: ['compute001'] }), [{ kind: 'gpu', count: 1 }])).toThrow(ResizeRefused);
  });
});

describe('checkRemoval and Cluster.removeNode', () => {
  it('refuses to take a kind below its min_nodes unless forced', () => {
    const cluster = clusterWith({ compute: ['compute001', 'compute002'] });
    cluster.minNodes = { compute: 2 };
    const node = cluster.getNodeByName('compute002');
    expect(() => checkRemoval(cluster, [node])).toThrow(expect.objectContaining({ message: expect.stringMatching(/leaves 1 `compute` node\(s\), below its min_nodes 2/), hint: expect.stringContaining('--force') }));
    expect(() => checkRemoval(cluster, [node], { force: true })).not.toThrow();
  });

  it('frees the name, and with stop marks a launched node for termination by the fleet', () => {
    const cluster = clusterWith({ compute: ['compute001', 'compute002'] });
    cluster.getNodeByName('compute001').instanceId = 'i-1';
    expect(cluster.removeNode('compute001', { stop: true }).state).toBe('terminating');
    expect(cluster.removeNode('compute002', { stop: true }).state).toBe('new');
    expect(cluster.addNode('compute', computeSpec).name).toBe('compute001');
  });
});
