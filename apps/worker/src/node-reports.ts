import { type NodeResult, parseNodeResults } from '@elastiq/queue';
import type { RedisConnection } from '@elastiq/redis';

/** The keys per-node jobs report into and their coordinator reads (a start's, a resume's). */
export interface NodeReportKeys {
  /** Epoch ms: data, not a timer, so it holds while every worker is down. */
  deadline: string;
  /** Hash node → NodeResult JSON. */
  results: string;
  /** Hash node → the last reason a node was not there yet (named at the deadline). */
  nodeLastError: string;
}

/**
 * Node results of one operation in Redis: node jobs report once each (HSETNX), the coordinator
 * counts and reads them. Shared by a start (GenerationState) and a resume (ResumeState).
 */
export class NodeReports {
  constructor(
    protected readonly redis: RedisConnection,
    readonly keys: NodeReportKeys,
  ) {}

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
}
