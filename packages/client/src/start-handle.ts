import type { ClusterDict } from '@elastiq/core';
import type { ClusterEvent } from './cluster-events';
import type { ElastiqClient } from './elastiq-client';
import type { FollowOptions } from './follow-cluster';
import { isUsable, StartFailed } from './start-failed';
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
