import { CLUSTER_STATUSES, type ClusterDict, type NodeDict } from '@elastiq/core';
import { z } from 'zod';

// A resize is a generation of its own (a new number from the per-name counter). Its plan is
// written to Redis once (SET NX) before the record says `resizing`, and every job of the resize
// acts on the stored plan, so a retried or duplicated job acts the same way. The nodes a growth
// adds are those of the record whose `generation` is the resize's.

export const ResizePlanSchema = z.object({
  action: z.enum(['grow', 'shrink']),
  /** For people (job names, the record's reason): `+3 compute`, `-2 compute`, `-compute003`. */
  summary: z.string(),
  /** What the cluster was before the resize: restored when the resize ends without setup or fails. */
  previousStatus: z.enum(CLUSTER_STATUSES),
  previousStatusReason: z.string().nullable(),
  runSetup: z.boolean(),
  /** grow: kind → how many of the added nodes must come up (`--min`, default all). */
  min: z.record(z.string(), z.number().int().nonnegative()).default({}),
  /** shrink: the nodes to terminate and remove. */
  remove: z.array(z.string()).default([]),
});
export type ResizePlan = z.infer<typeof ResizePlanSchema>;

export function parseResizePlan(raw: string | null): ResizePlan | null {
  return raw === null ? null : ResizePlanSchema.parse(JSON.parse(raw));
}

/** The generation that launched `node`: records written before resize existed name none (the cluster's). */
export function generationOf(cluster: Pick<ClusterDict, 'generation'>, node: Pick<NodeDict, 'generation'>): number {
  return node.generation ?? cluster.generation;
}

/** The nodes a generation launched (all of them for a record whose nodes name no generation). */
export function nodesOfGeneration(cluster: ClusterDict, generation: number): NodeDict[] {
  return Object.values(cluster.nodes)
    .flat()
    .filter((node) => generationOf(cluster, node) === generation);
}
