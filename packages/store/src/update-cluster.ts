import { type ClusterDict, ClusterNotFound, ConcurrentModification } from '@elastiq/core';
import { cloneJson } from './record-nodes';
import type { ClusterRepository, Versioned } from './repository';

export interface UpdateClusterOptions {
  /** Further attempts after the first one loses a race. */
  retries?: number;
}

/**
 * Changes the draft in place (returning nothing), or returns the new record, or returns null to
 * leave the record as it is (e.g. the cluster is already stopping). May be called more than once.
 */
export type ClusterMutation = (
  draft: ClusterDict,
  revision: number,
) => ClusterDict | undefined | null | Promise<ClusterDict | undefined | null>;

/**
 * Read-modify-write with optimistic concurrency: when another writer saved in between, read
 * again and re-apply `mutate` to the fresh record. `mutate` must therefore be a function of the
 * record it is given, without side effects of its own.
 */
export async function updateCluster(
  repository: ClusterRepository,
  name: string,
  mutate: ClusterMutation,
  { retries = 20 }: UpdateClusterOptions = {},
): Promise<Versioned<ClusterDict>> {
  for (let attempt = 0; ; attempt += 1) {
    const current = await repository.get(name);
    if (current === null) throw new ClusterNotFound(name);
    const draft = cloneJson(current.value);
    const result = await mutate(draft, current.revision);
    if (result === null) return current;
    const next = result ?? draft;
    if (next.name !== name) {
      throw new Error(`updateCluster(${name}): the mutation renamed the cluster to ${next.name}; save it under the new name instead`);
    }
    try {
      const revision = await repository.save(next, current.revision);
      return { value: next, revision };
    } catch (error) {
      if (!(error instanceof ConcurrentModification) || attempt >= retries) throw error;
      // Random back-off so that writers that collided once do not collide again in lockstep.
      await new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(2 ** attempt, 50)));
    }
  }
}
