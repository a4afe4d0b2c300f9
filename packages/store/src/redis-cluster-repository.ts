import { randomUUID } from 'node:crypto';
import { type ClusterDict, ConcurrentModification, type NodeDict } from '@elastiq/core';
import type { RedisConnection } from '@elastiq/redis';
import { assertStorableClusterName, invalidRecord, parseClusterRecord } from './cluster-record';
import { CorruptClusterRecord } from './corrupt-cluster-record';
import {
  assemble,
  type Checked,
  checkHeader,
  checkKinds,
  checkNode,
  cloneJson,
  type HeldRecord,
  kindCounts,
  nodeField,
  parseJson,
  sameJson,
} from './record-nodes';
import { DELETE_CLUSTER_SCRIPT, READ_CLUSTER_SCRIPT, SAVE_CLUSTER_SCRIPT, type ScriptReply } from './redis-scripts';
import type { ClusterRepository, Versioned } from './repository';
import { emitProcessWarning, type StoreWarningHandler } from './store-warning';

export interface RedisClusterRepositoryOptions {
  /**
   * Put before every key (default `elastiq:`): one prefix per fleet, one per test. On Redis
   * Cluster use a hash tag such as `{elastiq}:` so a script's keys share a slot.
   */
  prefix?: string;
  /** Told about records that list() skips because they do not parse. */
  onWarning?: StoreWarningHandler;
}

type Decoded = { ok: true; record: Versioned<ClusterDict> } | { ok: false; problem: string };

/** What the read script returned of a record in the node layout. */
interface StoredParts {
  revision: string | null;
  stamp: string | null;
  header: string | null;
  kinds: string | null;
  /** field, node JSON, field, node JSON... */
  pairs: (string | null)[];
}

/** How many clusters' records a repository keeps to read and write only their changed nodes. */
const HELD_RECORDS = 64;

/** The fleet's shared cluster records: every worker and the CLI see the same state. */
export class RedisClusterRepository implements ClusterRepository {
  private readonly prefix: string;
  private readonly onWarning: StoreWarningHandler;
  /** Per cluster, what this process last read or wrote (least recently used first). */
  private readonly held = new Map<string, HeldRecord>();

  constructor(
    private readonly redis: RedisConnection,
    { prefix = 'elastiq:', onWarning = emitProcessWarning }: RedisClusterRepositoryOptions = {},
  ) {
    this.prefix = prefix;
    this.onWarning = onWarning;
  }

  /** The Redis key of a cluster's record (for operators and error messages). */
  recordKey(name: string): string {
    return `${this.prefix}cluster:${name}`;
  }

  private get namesKey(): string {
    return `${this.prefix}clusters`;
  }

  private get revisionsKey(): string {
    return `${this.prefix}cluster-revisions`;
  }

  async get(name: string): Promise<Versioned<ClusterDict> | null> {
    assertStorableClusterName(name);
    const read = await this.read(name);
    if (!read.ok) throw new CorruptClusterRecord(name, this.recordKey(name), read.problem);
    return read.value === null ? null : { value: assemble(read.value), revision: read.value.revision };
  }

  async list(): Promise<Versioned<ClusterDict>[]> {
    const names = (await this.redis.smembers(this.namesKey)).sort();
    const records: Versioned<ClusterDict>[] = [];
    const reads = await Promise.all(names.map((name) => this.read(name).catch((error: Error): Checked<null> => ({ ok: false, problem: `could not be read: ${error.message}` }))));
    reads.forEach((read, index) => {
      if (!read.ok) this.warn(names[index], read.problem);
      // null: deleted between SMEMBERS and the read.
      else if (read.value !== null) records.push({ value: assemble(read.value), revision: read.value.revision });
    });
    return records;
  }

  async save(cluster: ClusterDict, expectedRevision: number | null): Promise<number> {
    assertStorableClusterName(cluster.name);
    const header = checkHeader(cluster);
    if (!header.ok) throw invalidRecord(cluster.name, header.problem);
    const held = this.held.get(cluster.name);
    // A delta is computed against what this process last read or wrote at the expected revision.
    const base = expectedRevision !== null && held?.revision === expectedRevision ? held : undefined;
    const written = await this.write(cluster, cloneJson(header.value), expectedRevision, base);
    if (written === 'stale') {
      // Redis reissued the revision for other contents (writes lost in a crash): write it all.
      this.held.delete(cluster.name);
      return this.save(cluster, expectedRevision);
    }
    return written;
  }

  async delete(name: string, expectedRevision?: number): Promise<boolean> {
    assertStorableClusterName(name);
    const keys = this.keysOf(name);
    const [won, revision] = (await this.redis.eval(
      DELETE_CLUSTER_SCRIPT,
      5,
      keys.record,
      this.namesKey,
      keys.nodes,
      keys.changes,
      keys.history,
      expectedRevision === undefined ? '' : String(expectedRevision),
      name,
    )) as ScriptReply;
    if (won === 1) {
      this.held.delete(name);
      return true;
    }
    if (revision === -1) return false;
    throw new ConcurrentModification(name, expectedRevision ?? null, revision);
  }

  private keysOf(name: string): { record: string; nodes: string; changes: string; history: string } {
    // Not `${record}:nodes`: a cluster may be named `x:nodes`.
    const at = (part: string) => `${this.prefix}cluster-${part}:${name}`;
    return { record: this.recordKey(name), nodes: at('nodes'), changes: at('changes'), history: at('history') };
  }

  /** The stored record, reading only the nodes written since this process last held it. */
  private async read(name: string, retried = false): Promise<Checked<HeldRecord | null>> {
    const held = this.held.get(name);
    const keys = this.keysOf(name);
    const reply = (await this.redis.eval(
      READ_CLUSTER_SCRIPT,
      4,
      keys.record,
      keys.nodes,
      keys.changes,
      keys.history,
      held === undefined ? '' : String(held.revision),
      held === undefined ? '' : held.stamp,
    )) as (string | null)[];
    if (reply.length === 0) {
      this.held.delete(name);
      return { ok: true, value: null };
    }
    const [mode, revision, stamp, header, kinds, ...pairs] = reply;
    if (mode === 'same' && held !== undefined) return { ok: true, value: this.hold(name, held) };
    this.held.delete(name);
    // Not held: the next save writes the whole record in the node layout.
    if (mode === 'legacy') return decodeLegacy(name, revision, stamp);
    const decoded = this.decode(name, { revision, stamp, header, kinds, pairs }, mode === 'delta' ? held : undefined);
    if (decoded.ok) return { ok: true, value: this.hold(name, decoded.value) };
    // A node missing from a delta means this process held something Redis no longer has: read it all.
    if (mode === 'delta' && !retried) return this.read(name, true);
    return decoded;
  }

  private decode(name: string, stored: StoredParts, held: HeldRecord | undefined): Checked<HeldRecord> {
    const revision = Number(stored.revision);
    if (stored.revision === null || !Number.isSafeInteger(revision) || revision < 1) {
      return { ok: false, problem: `has no valid revision (${JSON.stringify(stored.revision)})` };
    }
    const raw = parseJson(stored.header);
    if (raw === undefined) return { ok: false, problem: `is not JSON (its header field: ${JSON.stringify(stored.header?.slice(0, 80) ?? null)})` };
    const header = checkHeader(raw);
    if (!header.ok) return { ok: false, problem: `is not a valid cluster record: ${header.problem}` };
    if (header.value.name !== name) return { ok: false, problem: `holds cluster \`${header.value.name}\` instead` };
    const kinds = checkKinds(stored.kinds);
    if (!kinds.ok) return kinds;
    const written = new Map<string, string | null>();
    for (let at = 0; at + 1 < stored.pairs.length; at += 2) written.set(stored.pairs[at] as string, stored.pairs[at + 1]);
    // In kind order, so that nodes no longer counted (removed) are dropped.
    const nodes = new Map<string, NodeDict>();
    for (const [kind, count] of kinds.value) {
      for (let index = 0; index < count; index += 1) {
        const field = nodeField(kind, index);
        const json = written.get(field);
        let node = held?.nodes.get(field);
        if (json !== undefined) {
          const checked = checkNode(parseJson(json), kind, index);
          if (!checked.ok) return { ok: false, problem: `is not a valid cluster record: ${checked.problem}` };
          node = checked.value;
        }
        if (node === undefined) return { ok: false, problem: `lacks its ${kind} node ${index} (${this.keysOf(name).nodes})` };
        nodes.set(field, node);
      }
    }
    return { ok: true, value: { revision, stamp: stored.stamp ?? '', header: header.value, kinds: kinds.value, nodes } };
  }

  private async write(cluster: ClusterDict, header: ClusterDict, expectedRevision: number | null, base: HeldRecord | undefined): Promise<number | 'stale'> {
    const nodes = new Map<string, NodeDict>();
    const changed: string[] = [];
    for (const [kind, list] of Object.entries(cluster.nodes)) {
      list.forEach((node, index) => {
        const field = nodeField(kind, index);
        const before = base?.nodes.get(field);
        if (before !== undefined && sameJson(node, before)) {
          nodes.set(field, before);
          return;
        }
        const checked = checkNode(node, kind, index);
        if (!checked.ok) throw invalidRecord(cluster.name, checked.problem);
        // A copy: zod keeps the caller's objects inside `extra`, which the caller may change later.
        nodes.set(field, cloneJson(checked.value));
        changed.push(field, JSON.stringify(checked.value));
      });
    }
    const removed = base === undefined ? [] : [...base.nodes.keys()].filter((field) => !nodes.has(field));
    const kinds = kindCounts(cluster);
    const stamp = randomUUID();
    const keys = this.keysOf(cluster.name);
    const [won, revision] = (await this.redis.eval(
      SAVE_CLUSTER_SCRIPT,
      6,
      keys.record,
      this.namesKey,
      this.revisionsKey,
      keys.nodes,
      keys.changes,
      keys.history,
      expectedRevision === null ? '' : String(expectedRevision),
      base === undefined ? 'full' : 'delta',
      base?.stamp ?? '',
      cluster.name,
      stamp,
      JSON.stringify(header),
      JSON.stringify(kinds),
      String(changed.length / 2),
      ...changed,
      ...removed,
    )) as ScriptReply;
    if (won === 2) return 'stale';
    if (won !== 1) throw new ConcurrentModification(cluster.name, expectedRevision, revision === -1 ? null : revision);
    this.hold(cluster.name, { revision, stamp, header, kinds, nodes });
    return revision;
  }

  /** Keeps what this process last read or wrote of a cluster (the most recently used ones). */
  private hold(name: string, record: HeldRecord): HeldRecord {
    this.held.delete(name);
    this.held.set(name, record);
    for (const oldest of this.held.keys()) {
      if (this.held.size <= HELD_RECORDS) break;
      this.held.delete(oldest);
    }
    return record;
  }

  private warn(name: string, problem: string): void {
    const location = this.recordKey(name);
    this.onWarning({
      clusterName: name,
      location,
      message: `skipping cluster \`${name}\`: Redis key ${location} ${problem} (fix it or DEL the key)`,
    });
  }
}

function decodeBlob(name: string, revision: string | null, json: string | null): Decoded {
  const revisionNumber = Number(revision);
  if (revision === null || !Number.isSafeInteger(revisionNumber) || revisionNumber < 1) {
    return { ok: false, problem: `has no valid revision (${JSON.stringify(revision)})` };
  }
  let raw: unknown;
  try {
    raw = JSON.parse(json ?? '');
  } catch (error) {
    return { ok: false, problem: `is not JSON (${(error as Error).message})` };
  }
  const parsed = parseClusterRecord(raw);
  if (!parsed.ok) return { ok: false, problem: `is not a valid cluster record: ${parsed.problem}` };
  if (parsed.cluster.name !== name) {
    return { ok: false, problem: `holds cluster \`${parsed.cluster.name}\` instead` };
  }
  return { ok: true, record: { value: parsed.cluster, revision: revisionNumber } };
}

function decodeLegacy(name: string, revision: string | null, json: string | null): Checked<HeldRecord> {
  const decoded = decodeBlob(name, revision, json);
  if (!decoded.ok) return decoded;
  const { value } = decoded.record;
  const nodes = new Map<string, NodeDict>();
  for (const [kind, list] of Object.entries(value.nodes)) {
    list.forEach((node, index) => {
      nodes.set(nodeField(kind, index), node);
    });
  }
  return { ok: true, value: { revision: decoded.record.revision, stamp: '', header: { ...value, nodes: {} }, kinds: kindCounts(value), nodes } };
}
