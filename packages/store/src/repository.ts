import type { ClusterDict } from '@elastiq/core';

export interface Versioned<T> {
  value: T;
  /** Increases by one at every save; the optimistic-concurrency token. */
  revision: number;
}

/**
 * Where cluster records live. Every implementation gives the same guarantees:
 * save(x, expectedRevision) fails with ConcurrentModification when the stored revision is not
 * the expected one (null = "must not exist yet"), so two writers never silently overwrite each other.
 */
export interface ClusterRepository {
  get(name: string): Promise<Versioned<ClusterDict> | null>;
  list(): Promise<Versioned<ClusterDict>[]>;
  /** Returns the new revision. */
  save(cluster: ClusterDict, expectedRevision: number | null): Promise<number>;
  /** Deletes when the revision matches (or always when expectedRevision is undefined). Returns whether a record was deleted. */
  delete(name: string, expectedRevision?: number): Promise<boolean>;
}
