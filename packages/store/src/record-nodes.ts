import { type ClusterDict, ClusterDictSchema, type NodeDict, NodeDictSchema } from '@elastiq/core';
import { z } from 'zod';
import { describeIssues } from './cluster-record';

// How RedisClusterRepository splits a record into a header and one stored value per node, and
// puts it back together (redis-scripts.ts describes the keys).

/** The node count of every kind, in the record's kind order. */
export type KindCounts = [kind: string, count: number][];

const KindCountsSchema = z.array(z.tuple([z.string(), z.number().int().nonnegative()]));

/** The record as a reader holds it: validated, never handed out (get() returns copies). */
export interface HeldRecord {
  revision: number;
  stamp: string;
  /** The record with `nodes: {}`. */
  header: ClusterDict;
  kinds: KindCounts;
  /** Field (nodeField) → node. */
  nodes: Map<string, NodeDict>;
}

/** A node's field: its position, so that two nodes of one name can never overwrite each other. */
export function nodeField(kind: string, index: number): string {
  return `${index}:${kind}`;
}

export function kindCounts(cluster: ClusterDict): KindCounts {
  return Object.entries(cluster.nodes).map(([kind, nodes]) => [kind, nodes.length]);
}

export type Checked<T> = { ok: true; value: T } | { ok: false; problem: string };

/** Validates the record without its nodes (the cost of one node, not of N). */
export function checkHeader(value: unknown): Checked<ClusterDict> {
  const result = ClusterDictSchema.safeParse(typeof value === 'object' && value !== null ? { ...value, nodes: {} } : value);
  return result.success ? { ok: true, value: result.data } : { ok: false, problem: describeIssues(result.error) };
}

export function checkNode(value: unknown, kind: string, index: number): Checked<NodeDict> {
  const result = NodeDictSchema.safeParse(value);
  return result.success ? { ok: true, value: result.data } : { ok: false, problem: describeIssues(result.error, ['nodes', kind, index]) };
}

export function checkKinds(json: string | null): Checked<KindCounts> {
  const result = KindCountsSchema.safeParse(parseJson(json));
  return result.success ? { ok: true, value: result.data } : { ok: false, problem: `has no valid node counts (${JSON.stringify(json)})` };
}

export function parseJson(json: string | null): unknown {
  try {
    return JSON.parse(json ?? '');
  } catch {
    return undefined;
  }
}

/** The full record from what a reader holds: fresh objects, so a caller may change them freely. */
export function assemble(held: HeldRecord): ClusterDict {
  const nodes: ClusterDict['nodes'] = {};
  for (const [kind, count] of held.kinds) {
    const list: NodeDict[] = [];
    for (let index = 0; index < count; index += 1) list.push(cloneJson(held.nodes.get(nodeField(kind, index)) as NodeDict));
    nodes[kind] = list;
  }
  return { ...cloneJson(held.header), nodes };
}

/** A deep copy of JSON data (records are JSON: no dates, maps or cycles). Hot: N nodes per read. */
export function cloneJson<T>(value: T): T {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) return value.map(cloneJson) as T;
  const copy: Record<string, unknown> = {};
  for (const key in value) copy[key] = cloneJson(value[key]);
  return copy as T;
}

/** Whether a and b serialize to the same JSON (keys in any order; an undefined property is absent). Hot: N nodes per save. */
export function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    for (let index = 0; index < a.length; index += 1) if (!sameJson(a[index], b[index])) return false;
    return true;
  }
  const left = a as Record<string, unknown>;
  const right = b as Record<string, unknown>;
  let defined = 0;
  for (const key in left) {
    if (left[key] === undefined) continue;
    defined += 1;
    if (!sameJson(left[key], right[key])) return false;
  }
  for (const key in right) if (right[key] !== undefined) defined -= 1;
  return defined === 0;
}
