import type { ClusterTemplate } from '@elastiq/config';
import { checkRemoval, Cluster, ClusterBusy, type ClusterDict, ClusterNotFound, growthMinimums, type Node, type NodeCountRequest, type NodeDict, planGrowth, planShrink } from '@elastiq/core';
import { RESIZABLE_STATUSES } from '@elastiq/queue';
import { nodeSpecOfKind } from './cluster-from-template';

// The decisions of a resize as a script asks for them: which nodes a growth adds (names fill the
// holes), which a shrink or a removal terminates, refused before anything is enqueued. Planning
// and applying are two steps so that a caller can show the nodes and ask before terminating.

/** `{ compute: 2 }` or `[{ kind: 'compute', count: 2 }]`. */
export type NodeCounts = Readonly<Record<string, number>> | readonly NodeCountRequest[];

export interface GrowRequest {
  name: string;
  add: NodeCounts;
  /** kind → how many of the added nodes must come up for the growth to be kept (default: all). */
  min?: NodeCounts;
  /** Where a kind the cluster does not have yet comes from; default: the record's template. */
  template?: string | ClusterTemplate;
  /** Run setup on the whole cluster afterwards (default true). */
  setup?: boolean;
}

export interface ShrinkRequest {
  name: string;
  /** Per kind, how many of the highest-indexed nodes to terminate (never the ssh_to node). */
  remove: NodeCounts;
  setup?: boolean;
}

export interface RemoveNodeRequest {
  name: string;
  node: string;
  /** Remove it even when its kind falls below min_nodes. */
  force?: boolean;
  setup?: boolean;
}

/** What a resize will do, before it is enqueued (`ElastiqClient.resize` applies it). */
export type ResizePlan =
  | { action: 'grow'; name: string; nodes: NodeDict[]; min: Record<string, number>; runSetup: boolean; summary: string }
  | { action: 'shrink'; name: string; nodes: NodeDict[]; runSetup: boolean; summary: string };

export function countsOf(counts: NodeCounts): NodeCountRequest[] {
  return Array.isArray(counts) ? [...(counts as readonly NodeCountRequest[])] : Object.entries(counts).map(([kind, count]) => ({ kind, count: count as number }));
}

/** The record of a cluster that may be resized now, or ClusterNotFound (66) / ClusterBusy (75). */
export function resizableCluster(record: ClusterDict | null, name: string, action: string): Cluster {
  if (record === null) throw new ClusterNotFound(name, { hint: '`elastiq list` shows the clusters that exist' });
  if (!RESIZABLE_STATUSES.has(record.status)) throw new ClusterBusy(name, record.status, action);
  return Cluster.fromDict(record, { source: `cluster record \`${name}\`` });
}

/** `templateFor` is asked only when a kind the cluster does not have is added. */
export async function planGrowthOf(cluster: Cluster, request: GrowRequest, templateFor: () => Promise<ClusterTemplate>): Promise<ResizePlan> {
  const additions = countsOf(request.add);
  const minimums = growthMinimums(additions, countsOf(request.min ?? []));
  const newKinds = additions.some(({ kind }) => (cluster.nodes[kind]?.length ?? 0) === 0);
  const template = newKinds ? await templateFor() : undefined;
  const added = planGrowth(cluster, additions, (kind) => (template === undefined ? undefined : nodeSpecOfKind(template, kind)));
  return { action: 'grow', name: cluster.name, nodes: dictsOf(added), min: minimums, runSetup: request.setup ?? true, summary: describeCounts('+', additions) };
}

export function planShrinkOf(cluster: Cluster, request: ShrinkRequest): ResizePlan {
  const removals = countsOf(request.remove);
  return { action: 'shrink', name: cluster.name, nodes: dictsOf(planShrink(cluster, removals)), runSetup: request.setup ?? true, summary: describeCounts('-', removals) };
}

export function planRemovalOf(cluster: Cluster, request: RemoveNodeRequest): ResizePlan {
  const node = cluster.getNodeByName(request.node);
  checkRemoval(cluster, [node], { force: request.force === true });
  const removed = cluster.removeNode(node, { stop: true });
  return { action: 'shrink', name: cluster.name, nodes: dictsOf([removed]), runSetup: request.setup ?? true, summary: `-${removed.name}` };
}

/** `+3 compute +1 gpu` / `-2 compute`: what job names and the record's reason say. */
export function describeCounts(sign: '+' | '-', counts: readonly NodeCountRequest[]): string {
  return counts.map(({ kind, count }) => `${sign}${count} ${kind}`).join(' ');
}

function dictsOf(nodes: readonly Node[]): NodeDict[] {
  return nodes.map((node) => node.toDict());
}
