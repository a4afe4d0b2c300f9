import { Cluster, planGrowth } from '@elastiq/core';
import { type ClusterRepository, MemoryClusterRepository } from '@elastiq/store';
import { useFleetEnvironment } from './support/fleet-environment';
import { computeCluster, startInProcessFleet } from './support/in-process-fleet';

// The coordinator is the only job that acts on a start's outcome. When it fails for good, the
// start must still end: rolled back and `failed` with the reason, never `starting` for ever with
// instances running. The fault is injected into the store the worker is given.

jest.setTimeout(120_000);

/** A store that refuses to record a started cluster (`ready`, `setting-up`...): the coordinator's decision cannot be saved. */
function refusingStartedClusters(inner: ClusterRepository): ClusterRepository {
  return {
    get: (name) => inner.get(name),
    list: () => inner.list(),
    delete: (name, revision) => inner.delete(name, revision),
    async save(cluster, revision) {
      if (cluster.status !== 'starting' && cluster.status !== 'failed') throw new Error('the store refuses to save the cluster (injected fault)');
      return inner.save(cluster, revision);
    },
  };
}

describe('a coordinator that fails for good', () => {
  const env = useFleetEnvironment('coordinator-gives-up');

  it('rolls the start back like a failed decision and records why, instead of leaving it starting with instances running', async () => {
    const { client, sim, keys } = env;
    const repository = new MemoryClusterRepository();
    const fleet = startInProcessFleet({
      client,
      sim,
      repository,
      workerRepository: refusingStartedClusters(repository),
      // Two quick attempts instead of ten with exponential back-off: the same last attempt, sooner.
      jobOptions: { clusterCoordinator: { attempts: 2, backoff: { type: 'fixed', delay: 100 } } },
    });
    try {
      await fleet.producer.startCluster({ cluster: computeCluster('abandoned', keys, 2), cloud: fleet.cloud, runSetup: false });
      const done = await fleet.producer.waitForCluster('abandoned', (c) => c.status !== 'starting', { timeoutMs: 90_000 });
      expect(done?.status).toBe('failed');
      expect(done?.statusReason).toMatch(/could not be completed \(coordinator failed after 2 attempt\(s\): the store refuses .*\); its instances were terminated/);
      // Both nodes were launched (the decision was `ready`), and nothing of them is left running.
      const launched = sim.instances().filter((instance) => instance.tags['elastiq:cluster'] === 'abandoned');
      expect(launched).toHaveLength(2);
      expect(launched.filter((instance) => !['shutting-down', 'terminated'].includes(instance.state))).toEqual([]);
    } finally {
      await fleet.stop();
    }
  });

  it('rolls a growth back the same way: only its own instances terminated, the cluster back to its status with the reason', async () => {
    const { client, sim, keys } = env;
    const repository = new MemoryClusterRepository();
    // Refuses only the save that would keep the growth (`resize +1 compute: ready: ...`), not the rollback's.
    const workerRepository: ClusterRepository = {
      get: (name) => repository.get(name),
      list: () => repository.list(),
      delete: (name, revision) => repository.delete(name, revision),
      async save(cluster, revision) {
        if (cluster.statusReason?.startsWith('resize +1 compute: ')) throw new Error('the store refuses to save the cluster (injected fault)');
        return repository.save(cluster, revision);
      },
    };
    const fleet = startInProcessFleet({ client, sim, repository, workerRepository, jobOptions: { clusterCoordinator: { attempts: 2, backoff: { type: 'fixed', delay: 100 } } } });
    try {
      await fleet.producer.startCluster({ cluster: computeCluster('grown', keys, 2), cloud: fleet.cloud, runSetup: false });
      const ready = (await fleet.producer.waitForCluster('grown', (c) => c.status !== 'starting', { timeoutMs: 90_000 }))!;
      expect(ready.status).toBe('ready');
      const added = planGrowth(Cluster.fromDict(ready), [{ kind: 'compute', count: 1 }], () => undefined);
      const resize = await fleet.producer.growCluster({ name: 'grown', add: added.map((node) => node.toDict()), min: { compute: 1 }, runSetup: false, summary: '+1 compute' });

      const done = (await fleet.producer.waitForCluster('grown', (c) => c.status !== 'resizing', { timeoutMs: 90_000 }))!;
      expect(done.status).toBe('ready');
      expect(done.statusReason).toMatch(/^resize \+1 compute \(generation \d+\) was rolled back, the other nodes were not touched: failed: the start could not be completed/);
      expect(Object.values(done.nodes).flat().map((node) => [node.name, node.instanceId])).toEqual(Object.values(ready.nodes).flat().map((node) => [node.name, node.instanceId]));
      const ofResize = sim.instances().filter((i) => i.tags['elastiq:cluster'] === 'grown' && i.tags['elastiq:generation'] === String(resize.generation));
      expect(ofResize).toHaveLength(1);
      expect(ofResize.filter((instance) => !['shutting-down', 'terminated'].includes(instance.state))).toEqual([]);
      const original = new Set(Object.values(ready.nodes).flat().map((node) => node.instanceId));
      expect(sim.instances().filter((i) => original.has(i.instanceId)).map((i) => i.state)).toEqual(['running', 'running']);
    } finally {
      await fleet.stop();
    }
  });
});
