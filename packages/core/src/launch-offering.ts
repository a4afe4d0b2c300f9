import type { NodeDict } from './cluster-dict';

// An offering is one place a node can be launched: an instance type in a zone (or a subnet,
// which is in one zone). A kind lists its offerings in order of preference (issue 11); a kind
// configured the ElastiCluster way has exactly one, the same RunInstances parameters as before.
// A spot kind (`price` > 0) launches its offerings on the spot market; with
// `spot_fallback=on-demand` the same offerings follow on demand, so the failover that moves a
// batch from a full zone to the next one also moves it from missing spot capacity to on-demand.

export interface LaunchOffering {
  flavor: string;
  /** Placement.AvailabilityZone; absent: the cloud picks (or the subnet decides). */
  availabilityZone?: string;
  subnetId?: string;
  /** A one-time spot launch with this maximum price (USD/hour); absent: on demand. */
  spot?: { maxPrice: string };
}

export type Market = 'spot' | 'on-demand';

export function marketOf(offering: Pick<LaunchOffering, 'spot'>): Market {
  return offering.spot ? 'spot' : 'on-demand';
}

/** `c5.xlarge@us-east-1a`: how people and the unavailable-offerings cache name an offering. */
export function offeringLabel(offering: LaunchOffering): string {
  return `${offering.flavor}@${offering.availabilityZone ?? offering.subnetId ?? 'any-zone'}${offering.spot ? '/spot' : ''}`;
}

/** The kind's spot price (`price`; 0 or absent: on demand), as EC2's MaxPrice string. */
export function spotPriceOf(node: NodeDict): string | null {
  const price = Number(node.extra.price ?? 0);
  return Number.isFinite(price) && price > 0 ? String(price) : null;
}

/** Seconds after the start during which a spot kind still tries spot (`timeout`; 0: no limit). */
export function spotTimeoutOf(node: NodeDict): number {
  const timeout = Number(node.extra.timeout ?? 0);
  return Number.isFinite(timeout) && timeout > 0 ? timeout : 0;
}

/** A list from the record: the CLI writes arrays; records and fixtures written by hand may hold `a,b`. */
function listOf(value: unknown): string[] {
  const items = Array.isArray(value) ? value : typeof value === 'string' ? value.split(',') : [];
  return items.filter((item): item is string => typeof item === 'string').map((item) => item.trim()).filter((item) => item !== '');
}

/**
 * Every offering of a node, most preferred first: each flavor (`flavor`, then
 * `flavor_alternatives`) in each place (`availability_zones`, else each of several `network_ids`,
 * else the cluster's `availability_zone`), all of them on the spot market first for a spot kind,
 * then on demand if it falls back. Flavor first: a user lists alternatives because the
 * first flavor is what the workload wants, and a zone is usually interchangeable.
 */
export function launchOfferingsOf(node: NodeDict, clusterAvailabilityZone: string): LaunchOffering[] {
  const flavors = [node.flavor, ...listOf(node.extra.flavor_alternatives).filter((flavor) => flavor !== node.flavor)];
  const zones = listOf(node.extra.availability_zones);
  const subnets = listOf(node.extra.network_ids ?? node.extra.networkIds);
  const places: Array<Omit<LaunchOffering, 'flavor'>> =
    zones.length > 0
      ? zones.map((availabilityZone) => ({ availabilityZone }))
      : subnets.length > 1
        ? subnets.map((subnetId) => ({ subnetId }))
        : [{ ...(subnets.length === 1 ? { subnetId: subnets[0] } : {}), ...(clusterAvailabilityZone ? { availabilityZone: clusterAvailabilityZone } : {}) }];
  const onDemand = flavors.flatMap((flavor) => places.map((place) => ({ flavor, ...place })));
  const maxPrice = spotPriceOf(node);
  if (maxPrice === null) return onDemand;
  const spot = onDemand.map((offering) => ({ ...offering, spot: { maxPrice } }));
  return node.extra.spot_fallback === 'on-demand' ? [...spot, ...onDemand] : spot;
}
