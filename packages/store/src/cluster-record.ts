import { type ClusterDict, ClusterDictSchema, ConfigurationError } from '@elastiq/core';
import type { z } from 'zod';

/** "nodes.compute.0.instanceId: expected string" for every issue, joined. */
export function describeIssues(error: z.ZodError, at: readonly PropertyKey[] = []): string {
  return error.issues
    .map((issue) => {
      const path = [...at, ...issue.path];
      return `${path.length === 0 ? '(record)' : path.map(String).join('.')}: ${issue.message}`;
    })
    .join('; ');
}

export type ParsedRecord = { ok: true; cluster: ClusterDict } | { ok: false; problem: string };

/** Parses a stored (already decoded) record; never throws. */
export function parseClusterRecord(value: unknown): ParsedRecord {
  const result = ClusterDictSchema.safeParse(value);
  return result.success ? { ok: true, cluster: result.data } : { ok: false, problem: describeIssues(result.error) };
}

/**
 * Cluster names become file names and Redis keys, so they must not escape the storage directory
 * or contain separators. ElastiCluster never validated them (notes §3.1).
 */
export function assertStorableClusterName(name: string): void {
  if (name.length === 0 || name.length > 200 || name.startsWith('.') || /[/\\\0\s]/.test(name)) {
    throw new ConfigurationError(`cluster name ${JSON.stringify(name)} cannot be stored`, {
      key: 'name',
      hint: 'use 1-200 characters without slashes, spaces or a leading dot, e.g. `slurm-1`',
    });
  }
}

/** Saving must never put a record into the store that a later read would reject. */
export function validateForSave(cluster: ClusterDict): ClusterDict {
  assertStorableClusterName(cluster.name);
  const parsed = parseClusterRecord(cluster);
  if (!parsed.ok) throw invalidRecord(cluster.name, parsed.problem);
  return parsed.cluster;
}

/** What a save of an invalid record (a caller's bug) throws. */
export function invalidRecord(name: string, problem: string): ConfigurationError {
  return new ConfigurationError(`refusing to save an invalid record of cluster \`${name}\`: ${problem}`, {
    hint: 'this is a bug in the caller: build records with ClusterDictSchema.parse',
  });
}
