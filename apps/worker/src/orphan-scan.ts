import { type CloudInstance, type CloudProvider, TAG_CLUSTER, TAG_GENERATION, TAG_INSTALLATION } from '@elastiq/cloud';
import { type ClusterDict, claimedInstances, ElastiqError, type GenerationFacts, judgeInstance, type OrphanVerdict } from '@elastiq/core';
import { coordinatorJobId, generationKeys, type LaunchedCloud, launchedCloudMember, launchedCloudsKey, parseLaunchedCloudMember, parseStoredDecision } from '@elastiq/queue';
import type { WorkerDependencies } from './worker-dependencies';

// The I/O half of garbage collection: which clouds to look at, what they list with this
// installation's tag, and the facts the orphan rule (@elastiq/core orphan-rule.ts) decides on.
// The cloud is listed *before* the records and the fleet state are read: an instance that is
// claimed by the time we look at the records was claimed before we saw it, never the other way.

export interface ScannedCloud {
  settings: LaunchedCloud;
  cloud: CloudProvider;
  /** Tagged instances it listed (not terminated); empty when it could not be listed. */
  instances: CloudInstance[];
  error: string | null;
}

export interface JudgedInstance {
  instance: CloudInstance;
  /** Which scanned cloud it is in. */
  cloud: ScannedCloud;
  verdict: OrphanVerdict;
}

const PENDING_JOB_STATES = new Set(['waiting', 'delayed', 'active', 'prioritized', 'waiting-children']);

/** Every instance with this installation's tag in every cloud it launched into, with its verdict. */
export async function scanForOrphans(
  deps: WorkerDependencies,
  installationId: string,
  graceMs: number,
): Promise<{ clouds: ScannedCloud[]; judged: JudgedInstance[]; records: ReadonlyMap<string, ClusterDict> }> {
  const clouds = await cloudsToScan(deps);
  const seen = new Set<string>();
  for (const scanned of clouds) {
    try {
      const listed = await scanned.cloud.describeTagged(TAG_INSTALLATION, installationId);
      // Two credential sources may reach the same account: an instance is judged once.
      scanned.instances = listed.filter((instance) => !seen.has(scopedId(scanned.settings, instance)));
      for (const instance of scanned.instances) seen.add(scopedId(scanned.settings, instance));
    } catch (error) {
      scanned.error = describeError(error);
    }
  }
  const now = Date.now();
  const listedInstances = clouds.flatMap((scanned) => scanned.instances);
  const { records, unreadable } = await readRecords(deps, listedInstances);
  const claimed = claimedInstances(records.values());
  const facts = await generationFacts(deps, records, listedInstances);
  const context = { installationId, now, graceMs, records, unreadable, generation: (cluster: string, generation: number) => facts.get(factsKey(cluster, generation)) ?? NO_FACTS };
  const judged = clouds.flatMap((scanned) =>
    scanned.instances.map((instance) => ({ instance, cloud: scanned, verdict: judgeInstance(taggedInstance(instance), context, claimed) })),
  );
  return { clouds, judged, records };
}

const WATCHED_NODE_STATES = new Set(['pending', 'running', 'up']);

/**
 * Clusters at rest (ready, degraded, setup failed) with a node whose instance the listing no
 * longer has: the spot market took it back, or someone terminated it outside elastiq. The gc
 * lists every tagged instance anyway, so noticing costs no extra call; `elastiq update`'s job
 * then lists the cluster and records why. A node launched after the listing looks lost too:
 * its update finds it and changes nothing.
 */
export function clustersWithLostNodes(clouds: ScannedCloud[], records: ReadonlyMap<string, ClusterDict>): string[] {
  const listed = new Map(clouds.filter((scanned) => scanned.error === null).map((scanned) => [launchedCloudMember(scanned.settings), new Set(scanned.instances.map((instance) => instance.instanceId))]));
  const lost: string[] = [];
  for (const record of records.values()) {
    if (record.cloud === null || !['ready', 'degraded', 'setup-failed'].includes(record.status)) continue;
    const seen = listed.get(launchedCloudMember(record.cloud));
    if (seen === undefined) continue;
    const nodes = Object.values(record.nodes).flat();
    if (nodes.some((node) => node.instanceId !== null && WATCHED_NODE_STATES.has(node.state) && !seen.has(node.instanceId))) lost.push(record.name);
  }
  return lost;
}

/**
 * Every record, and the clusters whose record cannot be read. list() skips a record it cannot
 * parse (with a warning), so "no record" is asked again by name for each tagged cluster missing
 * from the list: only a definite null makes its instances orphans.
 */
async function readRecords(deps: WorkerDependencies, instances: CloudInstance[]): Promise<{ records: Map<string, ClusterDict>; unreadable: Set<string> }> {
  const records = new Map((await deps.repository.list()).map(({ value }) => [value.name, value]));
  const unreadable = new Set<string>();
  const missing = new Set(instances.map((instance) => taggedInstance(instance).cluster).filter((name): name is string => name !== null && !records.has(name)));
  for (const name of missing) {
    try {
      const record = await deps.repository.get(name);
      if (record !== null) records.set(name, record.value);
    } catch {
      unreadable.add(name);
    }
  }
  return { records, unreadable };
}

/** The clouds this installation ever launched into, plus those of the records (e.g. an imported cluster's). */
async function cloudsToScan(deps: WorkerDependencies): Promise<ScannedCloud[]> {
  const members = new Set(await deps.redis.smembers(launchedCloudsKey(deps.prefix)));
  for (const { value } of await deps.repository.list()) if (value.cloud !== null) members.add(launchedCloudMember(value.cloud));
  return [...members].sort().map((member) => {
    const settings = parseLaunchedCloudMember(member);
    const cloud = deps.cloudFor({ name: `gc of ${settings.ec2Url}`, cloud: { provider: 'ec2', ...settings, vpc: null } });
    return { settings, cloud, instances: [], error: null };
  });
}

const NO_FACTS: GenerationFacts = { decidedAt: null, deadline: null, coordinatorPending: false, launched: {} };

/** Decision, deadline, coordinator and recorded launches of each generation that has tagged instances and a record. */
async function generationFacts(deps: WorkerDependencies, records: ReadonlyMap<string, ClusterDict>, instances: CloudInstance[]): Promise<Map<string, GenerationFacts>> {
  const facts = new Map<string, GenerationFacts>();
  for (const instance of instances) {
    const { cluster, generation } = taggedInstance(instance);
    if (cluster === null || generation === null || !records.has(cluster) || facts.has(factsKey(cluster, generation))) continue;
    const keys = generationKeys(deps.prefix, cluster, generation);
    const [decision, deadline, launched, coordinator] = await Promise.all([
      deps.redis.get(keys.decision),
      deps.redis.get(keys.deadline),
      deps.redis.hgetall(keys.nodeInstance),
      deps.queues.clusterCoordinator.getJob(coordinatorJobId(cluster, generation)),
    ]);
    const coordinatorState = coordinator === undefined ? null : await coordinator.getState();
    facts.set(factsKey(cluster, generation), {
      decidedAt: parseStoredDecision(decision)?.decidedAt ?? null,
      deadline: deadline === null ? null : Number(deadline),
      coordinatorPending: coordinatorState !== null && PENDING_JOB_STATES.has(coordinatorState),
      launched,
    });
  }
  return facts;
}

export function taggedInstance(instance: CloudInstance) {
  const generation = Number(instance.tags[TAG_GENERATION]);
  return {
    instanceId: instance.instanceId,
    installation: instance.tags[TAG_INSTALLATION] ?? null,
    cluster: instance.tags[TAG_CLUSTER] || null,
    generation: Number.isInteger(generation) && generation > 0 ? generation : null,
    launchTime: instance.launchTime,
  };
}

export function describeError(error: unknown): string {
  return error instanceof ElastiqError ? error.toUserLine() : error instanceof Error ? error.message : String(error);
}

function factsKey(cluster: string, generation: number): string {
  return JSON.stringify([cluster, generation]);
}

function scopedId(settings: LaunchedCloud, instance: CloudInstance): string {
  return `${settings.ec2Url}|${settings.ec2Region}|${instance.instanceId}`;
}
