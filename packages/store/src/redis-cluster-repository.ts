import { type ClusterDict, ConcurrentModification } from '@elastiq/core';
import type { RedisConnection } from '@elastiq/redis';
import { assertStorableClusterName, parseClusterRecord, validateForSave } from './cluster-record';
import { CorruptClusterRecord } from './corrupt-cluster-record';
import { DELETE_CLUSTER_SCRIPT, SAVE_CLUSTER_SCRIPT, type ScriptReply } from './redis-scripts';
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

/** The fleet's shared cluster records: every worker and the CLI see the same state. */
export class RedisClusterRepository implements ClusterRepository {
  private readonly prefix: string;
  private readonly onWarning: StoreWarningHandler;

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
    const [revision, json] = await this.redis.hmget(this.recordKey(name), 'revision', 'record');
    if (revision === null && json === null) return null;
    const decoded = decode(name, revision, json);
    if (!decoded.ok) throw new CorruptClusterRecord(name, this.recordKey(name), decoded.problem);
    return decoded.record;
  }

  async list(): Promise<Versioned<ClusterDict>[]> {
    const names = (await this.redis.smembers(this.namesKey)).sort();
    const pipeline = this.redis.pipeline();
    for (const name of names) pipeline.hmget(this.recordKey(name), 'revision', 'record');
    const replies = (await pipeline.exec()) ?? [];
    const records: Versioned<ClusterDict>[] = [];
    names.forEach((name, index) => {
      const [error, fields] = replies[index] ?? [new Error('no reply'), null];
      const [revision, json] = error ? [null, null] : (fields as (string | null)[]);
      if (revision === null && json === null) {
        if (error) this.warn(name, `could not be read: ${error.message}`);
        return; // deleted between SMEMBERS and HMGET
      }
      const decoded = decode(name, revision, json);
      if (decoded.ok) records.push(decoded.record);
      else this.warn(name, decoded.problem);
    });
    return records;
  }

  async save(cluster: ClusterDict, expectedRevision: number | null): Promise<number> {
    const value = validateForSave(cluster);
    const [won, revision] = (await this.redis.eval(
      SAVE_CLUSTER_SCRIPT,
      3,
      this.recordKey(value.name),
      this.namesKey,
      this.revisionsKey,
      expectedRevision === null ? '' : String(expectedRevision),
      JSON.stringify(value),
      value.name,
    )) as ScriptReply;
    if (won !== 1) throw new ConcurrentModification(value.name, expectedRevision, revision === -1 ? null : revision);
    return revision;
  }

  async delete(name: string, expectedRevision?: number): Promise<boolean> {
    assertStorableClusterName(name);
    const [won, revision] = (await this.redis.eval(
      DELETE_CLUSTER_SCRIPT,
      2,
      this.recordKey(name),
      this.namesKey,
      expectedRevision === undefined ? '' : String(expectedRevision),
      name,
    )) as ScriptReply;
    if (won === 1) return true;
    if (revision === -1) return false;
    throw new ConcurrentModification(name, expectedRevision ?? null, revision);
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

function decode(name: string, revision: string | null, json: string | null): Decoded {
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
