import type { ClusterDict, NodeDict } from '@elastiq/core';
import {
  type GenerationKeys,
  generationKeys,
  type NodeResult,
  parseNodeResults,
  parseStoredDecision,
  type StoredDecision,
} from '@elastiq/queue';
import type { RedisConnection } from '@elastiq/redis';

const ABANDON_SCRIPT = `
local current = redis.call('GET', KEYS[1])
if current then
  local decision = cjson.decode(current).decision
  if decision == 'stopped' or decision == 'failed' then return current end
end
redis.call('SET', KEYS[1], ARGV[1])
return ARGV[1]
`;

/** Typed access to the Redis coordination state of one start (cluster + generation). */
export class GenerationState {
  readonly keys: GenerationKeys;

  constructor(
    private readonly redis: RedisConnection,
    prefix: string,
    readonly cluster: string,
    readonly generation: number,
  ) {
    this.keys = generationKeys(prefix, cluster, generation);
  }

  async decision(): Promise<StoredDecision | null> {
    return parseStoredDecision(await this.redis.get(this.keys.decision));
  }

  /** Stores `decision` unless one is stored already; returns the stored one (ours or the earlier). */
  async storeDecision(decision: StoredDecision): Promise<StoredDecision> {
    await this.redis.set(this.keys.decision, JSON.stringify(decision), 'NX');
    const stored = await this.decision();
    if (stored === null) throw new Error(`decision of ${this.cluster} generation ${this.generation} vanished right after it was stored`);
    return stored;
  }

  /**
   * Makes the start `failed` although it may have been decided `ready`/`degraded` (its
   * coordinator gave up before acting on that). A stop or an earlier failure is kept: they
   * already lead to the instances being terminated. Returns the stored decision.
   */
  async abandon(decision: StoredDecision): Promise<StoredDecision> {
    const stored = (await this.redis.eval(ABANDON_SCRIPT, 1, this.keys.decision, JSON.stringify(decision))) as string;
    return parseStoredDecision(stored) as StoredDecision;
  }

  async deadline(): Promise<number> {
    const raw = await this.redis.get(this.keys.deadline);
    // No deadline key: the producer died before writing it; treat the start as overdue.
    return raw === null ? 0 : Number(raw);
  }

  async results(): Promise<Record<string, NodeResult>> {
    return parseNodeResults(await this.redis.hgetall(this.keys.results));
  }

  /** Whether `node` has reported (one field, not the whole hash: node jobs ask this every round). */
  async hasResult(node: string): Promise<boolean> {
    return (await this.redis.hexists(this.keys.results, node)) === 1;
  }

  /** How many nodes have reported. */
  async reportedCount(): Promise<number> {
    return this.redis.hlen(this.keys.results);
  }

  async reportResult(
    node: string,
    outcome: NodeResult['outcome'],
    reason: string | null,
    details: Partial<Pick<NodeResult, 'ips' | 'preferredIp' | 'hostKey'>> = {},
  ): Promise<void> {
    const result: NodeResult = { outcome, reason, at: Date.now(), ips: [], preferredIp: null, hostKey: null, ...details };
    // HSETNX: the first report of a node wins; a retried job cannot turn "failed" into "up".
    await this.redis.hsetnx(this.keys.results, node, JSON.stringify(result));
  }

  async noteError(node: string, reason: string): Promise<void> {
    await this.redis.hset(this.keys.nodeLastError, node, reason);
  }

  async lastErrors(): Promise<Record<string, string>> {
    return this.redis.hgetall(this.keys.nodeLastError);
  }

  async instanceOf(node: string): Promise<string | null> {
    return this.redis.hget(this.keys.nodeInstance, node);
  }

  async instances(): Promise<Record<string, string>> {
    return this.redis.hgetall(this.keys.nodeInstance);
  }
}

export function allNodes(cluster: ClusterDict): NodeDict[] {
  return Object.values(cluster.nodes).flat();
}

export function findNode(cluster: ClusterDict, name: string): NodeDict | undefined {
  return allNodes(cluster).find((node) => node.name === name);
}
