import type { ClusterDict } from '@elastiq/core';
import type { ClusterEvent } from './cluster-events';
import type { ElastiqClient } from './elastiq-client';
import type { FollowOptions } from './follow-cluster';
import type { ResizePlan } from './resize-request';
import { isUsable, ResizeRolledBack, StartFailed } from './start-failed';
import type { StartSnapshot } from './start-snapshot';

/** A start under way: follow it as snapshots or events, or just await its result. */
export class StartHandle {
  constructor(
    private readonly client: ElastiqClient,
    readonly name: string,
    readonly generation: number,
    /** True when a start of this name was already in progress and this handle follows it. */
    readonly reattached: boolean,
  ) {}

  snapshots(options: FollowOptions = {}): AsyncIterable<StartSnapshot> {
    return this.client.follow(this.name, options);
  }

  events(options: FollowOptions = {}): AsyncIterable<ClusterEvent> {
    return this.client.events(this.name, options);
  }

  /** The final record once the start (and setup) ended; StartFailed unless ready or degraded. */
  async result(options: FollowOptions = {}): Promise<ClusterDict> {
    let last: ClusterDict | null = null;
    for await (const snapshot of this.snapshots(options)) last = snapshot.cluster;
    if (options.signal?.aborted) throw options.signal.reason ?? new Error('aborted');
    if (!isUsable(last)) throw new StartFailed(this.name, last);
    return last;
  }
}

/** A resize under way: followed like a start; its result also fails when a growth was rolled back. */
export class ResizeHandle extends StartHandle {
  constructor(
    client: ElastiqClient,
    readonly plan: ResizePlan,
    generation: number,
  ) {
    super(client, plan.name, generation, false);
  }

  /** Whether a growth kept none of its added nodes (in `cluster`, the record after it ended). */
  rolledBack(cluster: ClusterDict): boolean {
    if (this.plan.action !== 'grow') return false;
    const present = new Set(Object.values(cluster.nodes).flat().map((node) => node.name));
    return !this.plan.nodes.some((node) => present.has(node.name));
  }

  override async result(options: FollowOptions = {}): Promise<ClusterDict> {
    const cluster = await super.result(options);
    if (this.rolledBack(cluster)) throw new ResizeRolledBack(this.name, cluster);
    return cluster;
  }
}
