import type { CloudInstance, LaunchRequest } from '@elastiq/cloud';
import type { RedisConnection } from '@elastiq/redis';
import { z } from 'zod';
import type { GenerationState } from './generation-state';

// The write-ahead record of a RunInstances call. It is written *before* the call, atomically with
// each member's membership, so that a worker killed at any line leaves enough for the retry to
// re-issue the very same call (same ClientToken → EC2 returns the original reservation).

/** The request without its counts (derived from the members) and without user data (it may hold secrets; it is re-read from the record). */
export type StoredLaunchRequest = Omit<LaunchRequest, 'minCount' | 'maxCount' | 'userData'>;

const StoredBatchSchema = z.object({
  status: z.enum(['open', 'resolved']),
  members: z.array(z.string()),
  request: z.custom<StoredLaunchRequest>((value) => typeof value === 'object' && value !== null),
});
export type StoredBatch = z.infer<typeof StoredBatchSchema>;

const CLAIM_SCRIPT = `
local claimed = {}
for i = 3, #ARGV do
  if redis.call('HSETNX', KEYS[1], ARGV[i], ARGV[1]) == 1 then table.insert(claimed, ARGV[i]) end
end
if #claimed > 0 then
  redis.call('HSET', KEYS[2], 'status', 'open', 'request', ARGV[2], 'members', cjson.encode(claimed))
end
return claimed
`;

export class LaunchBatchStore {
  constructor(
    private readonly redis: RedisConnection,
    private readonly state: GenerationState,
  ) {}

  async batchOf(node: string): Promise<string | null> {
    return this.redis.hget(this.state.keys.nodeBatch, node);
  }

  async read(batchId: string): Promise<StoredBatch | null> {
    const raw = await this.redis.hgetall(this.state.keys.batch(batchId));
    if (raw.status === undefined) return null;
    return StoredBatchSchema.parse({ status: raw.status, members: JSON.parse(raw.members), request: JSON.parse(raw.request) });
  }

  /**
   * Makes the nodes members of a new batch, in order. A node that already belongs to a batch
   * is not claimed (its job re-issues that batch instead). Returns the members actually claimed.
   */
  async claim(batchId: string, request: StoredLaunchRequest, nodes: string[]): Promise<string[]> {
    const claimed = (await this.redis.eval(
      CLAIM_SCRIPT,
      2,
      this.state.keys.nodeBatch,
      this.state.keys.batch(batchId),
      batchId,
      JSON.stringify(request),
      ...nodes,
    )) as string[];
    return claimed;
  }

  /**
   * Records what the call gave: members map to instances by launch index; members without an
   * instance (partial launch, capacity, quota) leave the batch so that they can join a new one.
   */
  async resolve(batchId: string, members: string[], instances: CloudInstance[], reasonForUnlaunched: string): Promise<Map<string, string>> {
    const byIndex = new Map(instances.map((instance) => [instance.launchIndex, instance.instanceId]));
    const launched = new Map<string, string>();
    const tx = this.redis.multi();
    members.forEach((member, index) => {
      const instanceId = byIndex.get(index);
      if (instanceId === undefined) {
        tx.hdel(this.state.keys.nodeBatch, member);
        tx.hset(this.state.keys.nodeLastError, member, reasonForUnlaunched);
      } else {
        launched.set(member, instanceId);
        tx.hset(this.state.keys.nodeInstance, member, instanceId);
      }
    });
    tx.hset(this.state.keys.batch(batchId), 'status', 'resolved');
    await tx.exec();
    return launched;
  }
}
