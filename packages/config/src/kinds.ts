import { isValidNodeKind } from '@elastiq/core';
import { CLUSTER_ONLY_KEYS, INHERITED_KIND_KEYS, isKnownKindKey, NODES_KEY, NODES_MIN_KEY } from './cluster-keys';
import { configurationError } from './configuration-error';
import { type Diagnostics, SectionDrop } from './diagnostics';
import type { ResolvedSection } from './resolved-section';
import type { KindTemplate, LoginTemplate } from './template-schema';
import { commaList, integerField, parsePythonInt, priceField } from './value-schemas';

export interface KindCount {
  kind: string;
  count: number;
  min: number;
}

function countOf(cluster: ResolvedSection, key: string, meaning: string): number {
  const text = cluster.value(key) as string;
  const value = parsePythonInt(text);
  // ElastiCluster aborts the whole load on a count that is not an integer (notes §1.5).
  if (value === undefined) throw configurationError(cluster.locate(key), `must be an integer (${meaning}), got '${text}'`);
  if (value < 0) throw new SectionDrop(cluster.locate(key), `must not be negative (${meaning}), got '${text}'`);
  return value;
}

/** Every `<kind>_nodes` key defines a kind, in key order; `<kind>_nodes_min` defaults to the count. */
export function discoverKinds(cluster: ResolvedSection, diagnostics: Diagnostics): KindCount[] {
  const kinds: KindCount[] = [];
  for (const key of cluster.keys()) {
    const match = NODES_KEY.exec(key);
    if (!match) continue;
    const kind = match[1] as string;
    if (!isValidNodeKind(kind)) {
      throw new SectionDrop(
        cluster.locate(key),
        `defines kind '${kind}', but a kind name may only use letters, digits and '-' and must not end in a digit (node names are <kind><number>)`,
      );
    }
    // A count of 0 declares a kind to be added later with resize; ElastiCluster rejects it (#672).
    const count = countOf(cluster, key, `number of '${kind}' nodes to start`);
    const minKey = `${kind}_nodes_min`;
    const min = cluster.has(minKey) ? countOf(cluster, minKey, `minimum number of '${kind}' nodes`) : count;
    if (min > count) {
      throw configurationError(
        cluster.locate(minKey),
        `is ${min}, larger than the number of '${kind}' nodes to start (${key}=${count}): lower it or raise ${key}`,
      );
    }
    kinds.push({ kind, count, min });
  }
  for (const key of cluster.keys()) {
    const match = NODES_MIN_KEY.exec(key);
    if (match && !cluster.has(`${match[1]}_nodes`)) {
      diagnostics.warn(cluster.locate(key), `has no matching ${match[1]}_nodes key and is ignored`);
    }
  }
  if (kinds.length === 0) {
    throw new SectionDrop(cluster.locate(), 'defines no node kind: add a <kind>_nodes key such as compute_nodes=4');
  }
  if (kinds.every((kind) => kind.count === 0)) {
    throw new SectionDrop(cluster.locate(), 'starts no node at all: every <kind>_nodes is 0');
  }
  return kinds;
}

/** Kinds with a `[cluster/NAME/KIND]` section first (in file order), then the rest in key order. */
export function orderKinds(kinds: KindCount[], overrides: ResolvedSection[]): KindCount[] {
  const overridden = overrides.map((section) => section.kind as string);
  const first = overridden.flatMap((name) => kinds.filter((kind) => kind.kind === name));
  return [...first, ...kinds.filter((kind) => !overridden.includes(kind.kind))];
}

function typedKindValue(override: ResolvedSection, key: string, value: string): unknown {
  const schema = key === 'price' ? priceField() : key === 'timeout' ? integerField(0, 'seconds to wait for a spot request') : undefined;
  if (!schema) return value;
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new SectionDrop(override.locate(key), parsed.error.issues[0]?.message ?? 'is invalid');
  return parsed.data;
}

export function buildKind(
  count: KindCount,
  cluster: ResolvedSection,
  override: ResolvedSection | undefined,
  login: LoginTemplate,
  diagnostics: Diagnostics,
): KindTemplate {
  const merged = new Map<string, { value: unknown; section: ResolvedSection }>();
  for (const key of INHERITED_KIND_KEYS) {
    const value = cluster.value(key);
    if (value !== undefined) merged.set(key, { value, section: cluster });
  }
  for (const [key, entry] of override?.entries ?? []) {
    if (!override) break;
    if (!isKnownKindKey(key) && !entry.fromDefault) {
      const advice = CLUSTER_ONLY_KEYS.includes(key) ? 'it only has an effect in [cluster/NAME]' : 'it is kept and passed to the cloud and Ansible as is';
      diagnostics.warn(override.locate(key), `is not a known per-kind key: ${advice}`);
    }
    merged.set(key, { value: typedKindValue(override, key, entry.value), section: override });
  }
  const text = (key: string) => {
    const value = merged.get(key)?.value;
    return typeof value === 'string' ? value : undefined;
  };
  for (const key of ['flavor', 'image_id']) {
    if (!text(key)?.trim()) {
      const where = merged.get(key)?.section ?? override ?? cluster;
      throw new SectionDrop(where.locate(key), `is required for kind '${count.kind}': set ${key}= in [cluster/${cluster.name}] or [${cluster.header}/${count.kind}]`);
    }
  }
  const mapped = ['flavor', 'image_id', 'image_user', 'image_userdata', 'security_group', 'network_ids', 'flavor_alternatives', 'availability_zones'];
  const networkIds = commaList(text('network_ids'));
  const availabilityZones = commaList(text('availability_zones'));
  // A subnet lies in one zone: in a VPC the places to try are the subnets, one per zone.
  if (availabilityZones.length > 0 && networkIds.length > 0) {
    const where = merged.get('availability_zones')?.section ?? cluster;
    throw new SectionDrop(
      where.locate('availability_zones'),
      `cannot be combined with network_ids for kind '${count.kind}' (a subnet lies in one zone): in a VPC list one subnet per zone in network_ids instead`,
    );
  }
  const fallback = text('spot_fallback')?.trim();
  if (fallback !== undefined && fallback !== 'on-demand' && fallback !== 'none') {
    const where = merged.get('spot_fallback')?.section ?? cluster;
    throw new SectionDrop(where.locate('spot_fallback'), `must be on-demand or none, got '${fallback}'`);
  }
  const extra: Record<string, unknown> = { login: login.name };
  for (const [key, { value }] of merged) if (!mapped.includes(key)) extra[key] = value;
  return {
    kind: count.kind,
    count: count.count,
    min: count.min,
    imageId: text('image_id') as string,
    flavor: text('flavor') as string,
    // A cluster-level image_user is ignored: the login section's user applies unless the kind's
    // own section sets one (notes §1.10).
    imageUser: override?.value('image_user') ?? login.imageUser,
    // ElastiCluster drops the login section's image_userdata ([BUG]); elastiq uses it when
    // neither the cluster nor the kind sets one.
    imageUserdata: text('image_userdata') ?? login.imageUserdata,
    securityGroup: text('security_group') ?? 'default',
    networkIds,
    flavorAlternatives: commaList(text('flavor_alternatives')).filter((flavor) => flavor !== text('flavor')?.trim()),
    availabilityZones,
    extra,
  };
}
