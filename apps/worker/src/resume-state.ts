import { parseStoredResumeDecision, type ResumeKeys, resumeKeys, type StoredResumeDecision } from '@elastiq/queue';
import type { RedisConnection } from '@elastiq/redis';
import { NodeReports } from './node-reports';

/** Typed access to the Redis state of one resume (cluster, generation, pause epoch). */
export class ResumeState extends NodeReports {
  declare readonly keys: ResumeKeys;

  constructor(
    redis: RedisConnection,
    prefix: string,
    readonly cluster: string,
    readonly generation: number,
    readonly epoch: number,
  ) {
    super(redis, resumeKeys(prefix, cluster, generation, epoch));
  }

  async decision(): Promise<StoredResumeDecision | null> {
    return parseStoredResumeDecision(await this.redis.get(this.keys.decision));
  }

  /** Stores `decision` unless one is stored already; returns the stored one (ours or the earlier). */
  async storeDecision(decision: StoredResumeDecision): Promise<StoredResumeDecision> {
    await this.redis.set(this.keys.decision, JSON.stringify(decision), 'NX');
    const stored = await this.decision();
    if (stored === null) throw new Error(`resume decision of ${this.cluster} vanished right after it was stored`);
    return stored;
  }
}
