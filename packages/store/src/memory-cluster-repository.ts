import { type ClusterDict, ConcurrentModification } from '@elastiq/core';
import { assertStorableClusterName, validateForSave } from './cluster-record';
import type { ClusterRepository, Versioned } from './repository';

/**
 * In-process store for unit tests. Records are deep-copied in and out so that a caller mutating
 * what it read cannot change the stored state behind the repository's back.
 */
export class MemoryClusterRepository implements ClusterRepository {
  private readonly records = new Map<string, Versioned<ClusterDict>>();
  /** Last revision per name, kept after a delete so a re-created record never reuses a revision. */
  private readonly lastRevisions = new Map<string, number>();

  async get(name: string): Promise<Versioned<ClusterDict> | null> {
    assertStorableClusterName(name); // same rules as the real stores, so unit tests catch bad names
    const record = this.records.get(name);
    return record === undefined ? null : structuredClone(record);
  }

  async list(): Promise<Versioned<ClusterDict>[]> {
    return [...this.records.keys()].sort().map((name) => structuredClone(this.records.get(name) as Versioned<ClusterDict>));
  }

  async save(cluster: ClusterDict, expectedRevision: number | null): Promise<number> {
    const value = validateForSave(cluster);
    const actual = this.records.get(value.name)?.revision ?? null;
    if (actual !== expectedRevision) throw new ConcurrentModification(value.name, expectedRevision, actual);
    const revision = (this.lastRevisions.get(value.name) ?? 0) + 1;
    this.records.set(value.name, { value: structuredClone(value), revision });
    this.lastRevisions.set(value.name, revision);
    return revision;
  }

  async delete(name: string, expectedRevision?: number): Promise<boolean> {
    assertStorableClusterName(name);
    const actual = this.records.get(name)?.revision ?? null;
    if (actual === null) return false;
    if (expectedRevision !== undefined && actual !== expectedRevision) {
      throw new ConcurrentModification(name, expectedRevision, actual);
    }
    return this.records.delete(name);
  }
}
