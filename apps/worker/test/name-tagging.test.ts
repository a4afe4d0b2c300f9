import type { CloudProvider } from '@elastiq/cloud';
import { MemoryClusterRepository } from '@elastiq/store';
import { useFleetEnvironment } from './support/fleet-environment';
import { computeCluster, startInProcessFleet } from './support/in-process-fleet';

// Users find nodes by their Name tag (`<cluster>-<node>`), but CreateTags is one call per node
// and rate-limited to 10/s: naming must never hold a node back from being probed and used.

jest.setTimeout(120_000);

/** The real cloud, except that CreateTags hangs until `release()` and then fails once (a throttle) before working. */
function stuckTagging(cloud: CloudProvider, gate: Promise<void>): CloudProvider {
  let failedOnce = false;
  return {
    launch: (request) => cloud.launch(request),
    describeCluster: (name, generation) => cloud.describeCluster(name, generation),
    describeTagged: (key, value) => cloud.describeTagged(key, value),
    terminate: (ids) => cloud.terminate(ids),
    stop: (ids) => cloud.stop(ids),
    start: (ids) => cloud.start(ids),
    ensureKeyPair: (name, path) => cloud.ensureKeyPair(name, path),
    checkLaunchParameters: (request) => cloud.checkLaunchParameters(request),
    async tag(ids, tags) {
      await gate;
      if (!failedOnce) {
        failedOnce = true;
        throw new Error('RequestLimitExceeded: injected');
      }
      return cloud.tag(ids, tags);
    },
  };
}

describe('naming instances', () => {
  const env = useFleetEnvironment('name-tagging');

  it('does not delay readiness: a start is ready while CreateTags hangs, and every node gets its Name once the cloud answers', async () => {
    const { client, sim, keys } = env;
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const fleet = startInProcessFleet({ client, sim, repository: new MemoryClusterRepository(), wrapCloud: (cloud) => stuckTagging(cloud, gate) });
    try {
      await fleet.producer.startCluster({ cluster: computeCluster('named', keys, 3), cloud: fleet.cloud, runSetup: false });
      const done = await fleet.producer.waitForCluster('named', (c) => c.status !== 'starting', { timeoutMs: 30_000 });
      expect(done?.status).toBe('ready');
      expect(sim.instances().filter((instance) => instance.tags.Name !== undefined)).toEqual([]);

      release();
      const names = () => sim.instances().map((instance) => instance.tags.Name).sort();
      const deadline = Date.now() + 30_000;
      while (names().some((name) => name === undefined) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
      // One tag failed once on the way: it was retried.
      expect(names()).toEqual(['named-compute001', 'named-compute002', 'named-compute003']);
    } finally {
      release();
      await fleet.stop();
    }
  });

  it('names a start larger than perNodeNamesUpTo per kind at launch: no CreateTags at all', async () => {
    const { client, sim, keys } = env;
    const fleet = startInProcessFleet({ client, sim, repository: new MemoryClusterRepository(), tuning: { perNodeNamesUpTo: 2 } });
    try {
      const tagCalls = sim.stats().byAction.CreateTags?.calls ?? 0;
      await fleet.producer.startCluster({ cluster: computeCluster('many', keys, 3), cloud: fleet.cloud, runSetup: false });
      const done = await fleet.producer.waitForCluster('many', (c) => c.status !== 'starting', { timeoutMs: 30_000 });
      expect(done?.status).toBe('ready');
      const ours = sim.instances().filter((instance) => instance.tags['elastiq:cluster'] === 'many');
      expect(ours.map((instance) => instance.tags.Name)).toEqual(['many-compute', 'many-compute', 'many-compute']);
      // The coordinator has acted on the decision (ready): it would have drained pending names by now.
      expect(sim.stats().byAction.CreateTags?.calls ?? 0).toBe(tagCalls);
    } finally {
      await fleet.stop();
    }
  });
});
