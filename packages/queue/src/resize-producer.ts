import { ClusterBusy, type ClusterDict, ClusterNotFound, ConcurrentModification, ElastiqError, EXIT_CODES, type NodeDict, NodeNotFound } from '@elastiq/core';
import type { ClusterRepository } from '@elastiq/store';
import type { RedisConnection } from '@elastiq/redis';
import { generationKeys } from './fleet-keys';
import { addReplacingFinished } from './add-replacing-finished';
import { enqueueGeneration, freshNode } from './enqueue-jobs';
import type { StartedCluster } from './fleet-producer';
import type { FleetQueues } from './fleet-queues';
import { nextGeneration } from './generation-counter';
import { clusterShrinkJobId, coordinatorJobId } from './job-ids';
import { resizeJobName } from './job-names';
import { type ClusterShrinkPayload, PAYLOAD_VERSION } from './payloads';
import { generationOf, parseResizePlan, type ResizePlan } from './resize-plan';

// The producer side of `resize` and `remove-node`. The CLI decides which nodes (core's
// resize-plan.ts); this writes the plan and the record and enqueues the generation's jobs. It
// never talks to the cloud. A resize is refused unless the cluster is settled: a start, stop,
// setup or another resize in progress would be raced (pause/resume statuses are not in the list
// either, so they are refused too).

export const RESIZABLE_STATUSES: ReadonlySet<string> = new Set(['ready', 'degraded', 'setup-failed']);

export interface ResizeParts {
  queues: FleetQueues;
  redis: RedisConnection;
  prefix: string;
  repository: ClusterRepository;
}

export interface GrowClusterRequest {
  name: string;
  /** The nodes to add, as core's planGrowth named them (they must not be in the record). */
  add: NodeDict[];
  /** kind → how many of the added nodes must come up (core's growthMinimums). */
  min: Record<string, number>;
  runSetup: boolean;
  /** `+3 compute`: for job names and the record's reason. */
  summary: string;
}

export interface ShrinkClusterRequest {
  name: string;
  /** The nodes to terminate and remove (core's planShrink, or the node of remove-node). */
  remove: string[];
  runSetup: boolean;
  summary: string;
}

export interface ResizeStarted {
  name: string;
  generation: number;
  jobId: string;
}

/** Adds nodes as a new generation: the same node-start / probe / coordinator path as a start. */
export async function growCluster(parts: ResizeParts, request: GrowClusterRequest): Promise<ResizeStarted & StartedCluster> {
  const existing = await settledCluster(parts, request.name);
  const current = existing.value;
  for (const node of request.add) {
    if (Object.values(current.nodes).flat().some((other) => other.name === node.name)) {
      throw changedMeanwhile(request.name, `it has a node \`${node.name}\` now`);
    }
  }
  const generation = await nextGeneration(parts.redis, parts.prefix, request.name, current.generation);
  const plan: ResizePlan = { ...planBase(current, request), action: 'grow', min: request.min, remove: [] };
  const deadline = Date.now() + current.startTimeout * 1000;
  const nodes = stampGenerations(current);
  for (const node of request.add) {
    nodes[node.kind] = [...(nodes[node.kind] ?? []), freshNode({ ...node, clusterName: request.name }, generation)];
  }
  const record: ClusterDict = {
    ...current,
    ...resizingStatus(request.summary, generation),
    generation,
    startDeadline: new Date(deadline).toISOString(),
    nodes,
    updatedAt: new Date().toISOString(),
  };
  await writePlanAndRecord(parts, record, plan, existing.revision);
  const started = await enqueueGeneration(parts.queues, parts.redis, parts.prefix, record, {
    runSetup: request.runSetup,
    jobName: resizeJobName(request.name, request.summary, generation),
  });
  return { ...started, jobId: coordinatorJobId(request.name, generation) };
}

/** Terminates and removes nodes as a new generation whose one job does it in one batched call. */
export async function shrinkCluster(parts: ResizeParts, request: ShrinkClusterRequest): Promise<ResizeStarted> {
  const existing = await settledCluster(parts, request.name);
  const current = existing.value;
  const present = new Set(Object.values(current.nodes).flat().map((node) => node.name));
  for (const name of request.remove) {
    if (!present.has(name)) throw new NodeNotFound(`cluster \`${request.name}\` has no node \`${name}\``, { clusterName: request.name, nodeName: name });
  }
  const generation = await nextGeneration(parts.redis, parts.prefix, request.name, current.generation);
  const plan: ResizePlan = { ...planBase(current, request), action: 'shrink', min: {}, remove: request.remove };
  const removing = new Set(request.remove);
  const nodes = stampGenerations(current);
  for (const node of Object.values(nodes).flat()) if (removing.has(node.name)) node.state = 'terminating';
  const record: ClusterDict = { ...current, ...resizingStatus(request.summary, generation), generation, nodes, updatedAt: new Date().toISOString() };
  await writePlanAndRecord(parts, record, plan, existing.revision);
  return enqueueShrink(parts, record, plan);
}

/**
 * A producer that died between saving a `resizing` record and enqueueing left a resize nobody
 * works on: enqueue its jobs from the stored plan (the job ids make this a no-op otherwise).
 */
export async function resumeResize(parts: ResizeParts, record: ClusterDict): Promise<ResizeStarted | null> {
  if (record.status !== 'resizing') return null;
  const plan = parseResizePlan(await parts.redis.get(generationKeys(parts.prefix, record.name, record.generation).plan));
  if (plan === null) return null;
  if (plan.action === 'shrink') return enqueueShrink(parts, record, plan);
  const jobName = resizeJobName(record.name, plan.summary, record.generation);
  await enqueueGeneration(parts.queues, parts.redis, parts.prefix, record, { runSetup: plan.runSetup, jobName });
  return { name: record.name, generation: record.generation, jobId: coordinatorJobId(record.name, record.generation) };
}

async function enqueueShrink(parts: ResizeParts, record: ClusterDict, plan: ResizePlan): Promise<ResizeStarted> {
  const jobId = clusterShrinkJobId(record.name, record.generation);
  const payload: ClusterShrinkPayload = { v: PAYLOAD_VERSION, cluster: record.name, generation: record.generation };
  if ((await parts.queues.clusterShrink.getJob(jobId)) === undefined) {
    await addReplacingFinished(parts.queues.clusterShrink, resizeJobName(record.name, plan.summary, record.generation), payload, jobId);
  }
  return { name: record.name, generation: record.generation, jobId };
}

async function settledCluster(parts: ResizeParts, name: string) {
  const existing = await parts.repository.get(name);
  if (existing === null) throw new ClusterNotFound(name, { hint: '`elastiq list` shows the clusters that exist' });
  const { status } = existing.value;
  if (!RESIZABLE_STATUSES.has(status)) {
    if (status === 'resizing') {
      await resumeResize(parts, existing.value);
      throw new ClusterBusy(name, status, 'be resized', { hint: `a resize is in progress; follow it with \`elastiq watch ${name}\`` });
    }
    throw new ClusterBusy(name, status, 'be resized', status === 'failed' ? { hint: `its start failed: start it again with \`elastiq start ${existing.value.template}\`` } : {});
  }
  return existing;
}

function planBase(current: ClusterDict, request: { runSetup: boolean; summary: string }) {
  return { summary: request.summary, previousStatus: current.status, previousStatusReason: current.statusReason, runSetup: request.runSetup };
}

function resizingStatus(summary: string, generation: number): Pick<ClusterDict, 'status' | 'statusReason'> {
  return { status: 'resizing', statusReason: `resize ${summary} (generation ${generation}) in progress` };
}

/**
 * Every existing node names the generation that launched it before the cluster's generation
 * moves on: "no generation" means "the cluster's", which is about to change.
 */
function stampGenerations(current: ClusterDict): ClusterDict['nodes'] {
  const nodes: ClusterDict['nodes'] = {};
  for (const [kind, ofKind] of Object.entries(current.nodes)) nodes[kind] = ofKind.map((node) => ({ ...node, generation: generationOf(current, node) }));
  return nodes;
}

/** The plan first (SET NX), then the record under its revision: two concurrent resizes, one loses. */
async function writePlanAndRecord(parts: ResizeParts, record: ClusterDict, plan: ResizePlan, revision: number): Promise<void> {
  await parts.redis.set(generationKeys(parts.prefix, record.name, record.generation).plan, JSON.stringify(plan), 'NX');
  try {
    await parts.repository.save(record, revision);
  } catch (error) {
    if (error instanceof ConcurrentModification) throw changedMeanwhile(record.name, 'another command changed it first');
    throw error;
  }
}

function changedMeanwhile(name: string, what: string): ElastiqError {
  return new ElastiqError(`cluster \`${name}\` changed while the resize was prepared: ${what}`, {
    hint: 'run the command again',
    exitCode: EXIT_CODES.tempFail,
  });
}
