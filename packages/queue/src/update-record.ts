import { type ClusterDict, ConcurrentModification } from '@elastiq/core';
import { type ClusterRepository, cloneJson } from '@elastiq/store';

const MAX_ATTEMPTS = 50;

/**
 * Read-modify-write of a cluster record under optimistic concurrency: many node jobs update the
 * same record, so a lost race re-reads and re-applies the mutation. `mutate` returns null to
 * leave the record as it is (e.g. the cluster is already being stopped). Returns the stored
 * record, or null when there is none.
 */
export async function updateRecord(
  repository: ClusterRepository,
  name: string,
  mutate: (cluster: ClusterDict) => ClusterDict | null,
): Promise<ClusterDict | null> {
  for (let attempt = 1; ; attempt += 1) {
    const current = await repository.get(name);
    if (current === null) return null;
    const next = mutate(cloneJson(current.value));
    if (next === null) return current.value;
    next.updatedAt = new Date().toISOString();
    try {
      await repository.save(next, current.revision);
      return next;
    } catch (error) {
      if (!(error instanceof ConcurrentModification) || attempt >= MAX_ATTEMPTS) throw error;
      // Spread the retries of writers that collided so they do not collide again.
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 5 * Math.min(attempt, 10)));
    }
  }
}
