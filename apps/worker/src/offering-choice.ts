import { type ClusterDict, type LaunchOffering, launchOfferingsOf, type NodeDict, offeringLabel, spotTimeoutOf } from '@elastiq/core';
import { parseUnavailableOffering, unavailableOfferingKey } from '@elastiq/queue';
import type { RedisConnection } from '@elastiq/redis';
import type { GenerationState } from './generation-state';

// Which offering (type × zone) a node's next launch batch uses (issue 11). Two records say what
// not to try: the generation's own refusals (a hash, kept with the generation: the failover of
// one start never goes back) and the unavailable-offerings cache shared by every worker and
// every start (one key per offering with a TTL, as Karpenter remembers unavailable offerings).
// A kind with a single offering (a plain ElastiCluster kind) is never steered: it launches as
// before and waits for capacity until the deadline. A spot kind's `timeout` closes its spot
// offerings that many seconds after the start began: RunInstances answers a one-time spot launch
// at once (launched or refused), so "not fulfilled within timeout" means "spot kept refusing".

export type OfferingChoice =
  | { offering: LaunchOffering; label: string; failover: boolean }
  /** Every offering refused or cached as unavailable: `tried` says what each answered. */
  | { exhausted: true; tried: string[] };

/** The cache is per cloud: the same type and zone name on another endpoint or region is another offering. */
export function cloudKeyOf(cluster: ClusterDict): string {
  return cluster.cloud ? `${cluster.cloud.ec2Url}|${cluster.cloud.ec2Region}` : 'default';
}

export class OfferingChoices {
  constructor(
    private readonly redis: RedisConnection,
    private readonly prefix: string,
    private readonly ttlMs: number,
  ) {}

  async choose(state: GenerationState, cluster: ClusterDict, node: NodeDict): Promise<OfferingChoice> {
    const offerings = launchOfferingsOf(node, cluster.availabilityZone);
    const spotClosed = await this.spotClosed(state, cluster, node);
    if (offerings.length === 1 && spotClosed === null) return { offering: offerings[0], label: offeringLabel(offerings[0]), failover: false };
    const labels = offerings.map(offeringLabel);
    const refused = await this.redis.hgetall(state.keys.offeringRefusals(node.kind));
    const cached = await this.redis.mget(...labels.map((label) => unavailableOfferingKey(this.prefix, cloudKeyOf(cluster), label)));
    const tried: string[] = [];
    for (const [index, offering] of offerings.entries()) {
      const label = labels[index];
      const refusal = refused[label];
      const cache = cached[index];
      if (offering.spot && spotClosed !== null) tried.push(`${label}: ${spotClosed}`);
      else if (refusal !== undefined) tried.push(`${label}: ${refusal}`);
      else if (cache !== null) tried.push(`${label}: ${parseUnavailableOffering(cache)?.code ?? 'unavailable'} (skipped: marked unavailable)`);
      else return { offering, label, failover: true };
    }
    return { exhausted: true, tried };
  }

  /** Why spot is no longer tried for the node's kind (its `timeout` passed), or null. */
  private async spotClosed(state: GenerationState, cluster: ClusterDict, node: NodeDict): Promise<string | null> {
    const timeout = spotTimeoutOf(node);
    if (timeout === 0 || !node.extra.price) return null;
    const deadline = Number(await this.redis.get(state.keys.deadline));
    if (!Number.isFinite(deadline) || deadline === 0) return null;
    const spotUntil = deadline - (cluster.startTimeout - timeout) * 1000;
    return Date.now() >= spotUntil ? `spot not fulfilled within timeout=${timeout} s` : null;
  }

  /**
   * Records that `label` launched nothing (more) for the kind: in the generation first (what the
   * failover of this start reads, written before the batch's outcome so a worker killed in between
   * still moves on), then in the shared cache.
   */
  async markUnavailable(state: GenerationState, cluster: ClusterDict, kind: string, label: string, code: string, reason: string): Promise<void> {
    const entry = { offering: label, code, reason, cluster: cluster.name, kind, markedAt: new Date().toISOString() };
    await this.redis
      .multi()
      .hset(state.keys.offeringRefusals(kind), label, code)
      .set(unavailableOfferingKey(this.prefix, cloudKeyOf(cluster), label), JSON.stringify(entry), 'PX', this.ttlMs)
      .exec();
  }

  /**
   * Records a refusal that depends on this kind, not on the offering's capacity (a spot price
   * below the market's, the account's spot quota): only this start moves on; other starts, with
   * other prices, still try the offerings.
   */
  async markRefused(state: GenerationState, kind: string, labels: string[], code: string): Promise<void> {
    if (labels.length > 0) await this.redis.hset(state.keys.offeringRefusals(kind), Object.fromEntries(labels.map((label) => [label, code])));
  }
}
