import type { ClusterDict, NodeDict } from '@elastiq/core';
import {
  type GenerationKeys,
  generationKeys,
  parseResizePlan,
  parseStoredDecision,
  type ResizePlan,
  type StoredDecision,
} from '@elastiq/queue';
import type { RedisConnection } from '@elastiq/redis';
import { NodeReports } from './node-reports';

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
export class GenerationState extends NodeReports {
  declare readonly keys: GenerationKeys;

  constructor(
    redis: RedisConnection,
    prefix: string,
    readonly cluster: string,
    readonly generation: number,
  ) {
    super(redis, generationKeys(prefix, cluster, generation));
  }

  async decision(): Promise<StoredDecision | null> {
    return parseStoredDecision(await this.redis.get(this.keys.decision));
  }

  /** The plan of a resize; null for a start (a start has none). */
  async plan(): Promise<ResizePlan | null> {
    return parseResizePlan(await this.redis.get(this.keys.plan));
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

  async instanceOf(node: string): Promise<string | null> {
    return this.redis.hget(this.keys.nodeInstance, node);
  }

  async instances(): Promise<Record<string, string>> {
    return this.redis.hgetall(this.keys.nodeInstance);
  }

  /** `node`'s probe is parked until the cloud runs `instanceId`: the probe watcher wakes it then. */
  async awaitRunning(instanceId: string, node: string): Promise<void> {
    await this.redis.hset(this.keys.awaitingRunning, instanceId, node);
  }

  async stopAwaitingRunning(instanceId: string): Promise<void> {
    await this.redis.hdel(this.keys.awaitingRunning, instanceId);
  }

  /** Instance id → node, of every probe parked until its instance runs. */
  async awaitingRunning(): Promise<Record<string, string>> {
    return this.redis.hgetall(this.keys.awaitingRunning);
  }
}

export function allNodes(cluster: ClusterDict): NodeDict[] {
  return Object.values(cluster.nodes).flat();
}

export function findNode(cluster: ClusterDict, name: string): NodeDict | undefined {
  return allNodes(cluster).find((node) => node.name === name);
}
