import type { CloudProvider } from '@elastiq/cloud';
import type { ClusterDict } from '@elastiq/core';
import { nodesOfGeneration } from '@elastiq/queue';
import type { GenerationState } from './generation-state';
import type { WorkerDependencies } from './worker-dependencies';

const LOCK_MS = 30_000;
const WAIT_FOR_OTHER_MS = 10_000;

/**
 * Before the first launch of a start: import the key pair and check image, flavor and security
 * group, so that a bad configuration fails every node at once (and the start fails in seconds)
 * instead of surfacing as launch errors node by node. Done once per generation by whichever
 * worker gets there first (the others wait a moment for it); repeating it after a crash is
 * harmless, both calls are idempotent.
 */
export async function prepareGeneration(deps: WorkerDependencies, state: GenerationState, cluster: ClusterDict, cloud: CloudProvider): Promise<void> {
  if ((await deps.redis.exists(state.keys.prepared)) === 1) return;
  const lockKey = `${state.keys.prepared}-lock`;
  const lockToken = String(Math.random());
  if ((await deps.redis.set(lockKey, lockToken, 'PX', LOCK_MS, 'NX')) === null) {
    const until = Date.now() + WAIT_FOR_OTHER_MS;
    while (Date.now() < until) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      if ((await deps.redis.exists(state.keys.prepared)) === 1) return;
    }
    // The other worker failed or died: check for ourselves (its error, if any, will be ours too).
  }
  try {
    // Only what this generation launches: a resize must not fail on an image its older nodes used.
    const nodes = nodesOfGeneration(cluster, state.generation);
    await cloud.ensureKeyPair(cluster.userKeyName, cluster.userKeyPublic);
    await cloud.checkLaunchParameters({
      imageIds: unique(nodes.map((node) => node.imageId)),
      flavors: unique(nodes.map((node) => node.flavor)),
      securityGroups: unique(nodes.map((node) => node.securityGroup)),
      keyName: cluster.userKeyName,
    });
    await deps.redis.set(state.keys.prepared, String(Date.now()));
  } finally {
    if ((await deps.redis.get(lockKey)) === lockToken) await deps.redis.del(lockKey);
  }
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}
