import type { ClusterDict } from './cluster-dict';
import { formatDuration } from './duration';

// `elastiq gc` and the scheduled gc job decide with this one rule whether an instance that this
// installation launched still belongs to a live cluster generation. It is pure: the worker
// gathers the facts (the cloud's listing first, then the records and the fleet state in Redis)
// and terminates what this says is an orphan. docs/architecture.md ("Garbage collection") explains
// each step; the order matters: anything that might still be claimed is spared.

/** An instance as the cloud lists it, with the elastiq tags read (null: the tag is missing or unreadable). */
export interface TaggedInstance {
  instanceId: string;
  /** The `elastiq:installation` tag. */
  installation: string | null;
  cluster: string | null;
  generation: number | null;
  /** ISO time of the launch as the cloud reports it. */
  launchTime: string | null;
}

/** What the fleet state in Redis says about one generation (start or resize) of a cluster. */
export interface GenerationFacts {
  /** When its decision was stored (SET NX); null: not decided (yet). */
  decidedAt: number | null;
  /** Its deadline, epoch ms; null when none was ever written. */
  deadline: number | null;
  /** Its coordinator job is still waiting, delayed or running: it will act on the generation. */
  coordinatorPending: boolean;
  /** node → instance id, as the launch recorded it before the cluster record was written. */
  launched: Readonly<Record<string, string>>;
}

export interface OrphanContext {
  installationId: string;
  now: number;
  /** Instances launched less than this long ago are never orphans (the grace period, `--older-than`). */
  graceMs: number;
  /** Every cluster record of the store, by name. */
  records: ReadonlyMap<string, ClusterDict>;
  /** Clusters whose record exists but cannot be read (corrupt, or written by a newer elastiq). */
  unreadable: ReadonlySet<string>;
  /** Facts about a generation; called only for clusters that have a record. */
  generation(cluster: string, generation: number): GenerationFacts;
}

export type SparedBecause =
  | 'not-this-installation'
  | 'younger-than-grace'
  | 'in-a-record'
  | 'tags-unreadable'
  | 'record-unreadable'
  | 'launch-not-yet-recorded'
  | 'generation-in-progress';

export type OrphanVerdict = { orphan: true; reason: string } | { orphan: false; because: SparedBecause; reason: string };

/** Node states that mean "this node's instance is meant to be gone". */
const LEAVING_STATES = new Set<string>(['terminating', 'terminated']);

/**
 * instance id → `cluster/node` for every node of every record that holds the instance and is not
 * on its way out. By instance id across all records, not by the cluster tag: an imported cluster
 * renamed with `import --rename` keeps its instances' old tags.
 */
export function claimedInstances(records: Iterable<ClusterDict>): Map<string, string> {
  const claimed = new Map<string, string>();
  for (const record of records) {
    for (const node of Object.values(record.nodes).flat()) {
      if (node.instanceId !== null && !LEAVING_STATES.has(node.state)) claimed.set(node.instanceId, `${record.name}/${node.name}`);
    }
  }
  return claimed;
}

/**
 * Whether `instance` is an orphan: launched by this installation longer ago than the grace
 * period, held by no record, not just launched for a node that waits for it, and of a generation
 * that nothing is deciding or acting on any more.
 */
export function judgeInstance(instance: TaggedInstance, context: OrphanContext, claimed: ReadonlyMap<string, string>): OrphanVerdict {
  if (instance.installation !== context.installationId) {
    return { orphan: false, because: 'not-this-installation', reason: 'launched by another installation (or not by elastiq)' };
  }
  const launchedAt = instance.launchTime === null ? Number.NaN : Date.parse(instance.launchTime);
  if (!Number.isFinite(launchedAt) || context.now - launchedAt < context.graceMs) {
    return { orphan: false, because: 'younger-than-grace', reason: `launched less than ${formatDuration(context.graceMs)} ago` };
  }
  const holder = claimed.get(instance.instanceId);
  if (holder !== undefined) return { orphan: false, because: 'in-a-record', reason: `node ${holder}` };
  const { cluster, generation } = instance;
  if (cluster === null || generation === null) {
    return { orphan: false, because: 'tags-unreadable', reason: 'no readable elastiq:cluster/elastiq:generation tag: elastiq cannot tell what it belongs to' };
  }
  if (context.unreadable.has(cluster)) {
    return { orphan: false, because: 'record-unreadable', reason: `the record of \`${cluster}\` cannot be read: what it holds is unknown` };
  }
  const record = context.records.get(cluster);
  if (record === undefined) return { orphan: true, reason: `cluster \`${cluster}\` has no record` };

  const facts = context.generation(cluster, generation);
  const waitingNode = Object.entries(facts.launched).find(([, id]) => id === instance.instanceId)?.[0];
  if (waitingNode !== undefined && nodeAwaitsInstance(record, waitingNode, generation)) {
    return { orphan: false, because: 'launch-not-yet-recorded', reason: `launched for node ${cluster}/${waitingNode}, not yet written to its record` };
  }
  const inProgress = generationInProgress(facts, context);
  if (inProgress !== null) return { orphan: false, because: 'generation-in-progress', reason: `generation ${generation} of \`${cluster}\` ${inProgress}` };
  const decided = facts.decidedAt === null ? 'never decided' : 'decided';
  return { orphan: true, reason: `not in the record of \`${cluster}\` (generation ${generation}, ${decided})` };
}

/** The record still has the node, of that generation, without an instance: the launch's record save is yet to come. */
function nodeAwaitsInstance(record: ClusterDict, nodeName: string, generation: number): boolean {
  const node = Object.values(record.nodes)
    .flat()
    .find((candidate) => candidate.name === nodeName);
  return node !== undefined && node.instanceId === null && !LEAVING_STATES.has(node.state) && (node.generation ?? record.generation) === generation;
}

/** Why the generation may still claim instances it launched, or null when nothing will any more. */
function generationInProgress(facts: GenerationFacts, { now, graceMs }: OrphanContext): string | null {
  if (facts.coordinatorPending) return 'is still being decided (its coordinator job is queued or running)';
  if (facts.decidedAt === null && now < (facts.deadline ?? 0) + graceMs) return 'is still starting (no decision, deadline not passed)';
  if (facts.decidedAt !== null && now < facts.decidedAt + graceMs) return `was decided less than ${formatDuration(graceMs)} ago`;
  return null;
}
