import type { NodeDict } from './cluster-dict';

// An offering is one place a node can be launched: an instance type in a zone (or a subnet,
// which is in one zone). A kind lists its offerings in order of preference (issue 11); a kind
// configured the ElastiCluster way has exactly one, the same RunInstances parameters as before.

export interface LaunchOffering {
  flavor: string;
  /** Placement.AvailabilityZone; absent: the cloud picks (or the subnet decides). */
  availabilityZone?: string;
  subnetId?: string;
}

/** `c5.xlarge@us-east-1a`: how people and the unavailable-offerings cache name an offering. */
export function offeringLabel(offering: LaunchOffering): string {
  return `${offering.flavor}@${offering.availabilityZone ?? offering.subnetId ?? 'any-zone'}`;
}

/** A list from the record: the CLI writes arrays; records and fixtures written by hand may hold `a,b`. */
function listOf(value: unknown): string[] {
  const items = Array.isArray(value) ? value : typeof value === 'string' ? value.split(',') : [];
  return items.filter((item): item is string => typeof item === 'string').map((item) => item.trim()).filter((item) => item !== '');
}

/**
 * Every offering of a node, most preferred first: each flavor (`flavor`, then
 * `flavor_alternatives`) in each place (`availability_zones`, else each of several `network_ids`,
 * else the cluster's `availability_zone`). Flavor first: a user lists alternatives because the
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
  return flavors.flatMap((flavor) => places.map((place) => ({ flavor, ...place })));
}
