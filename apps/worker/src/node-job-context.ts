import type { ClusterDict, NodeDict } from '@elastiq/core';
import { generationOf, parseJobPayload } from '@elastiq/queue';
import { type Job, UnrecoverableError } from 'bullmq';
import type { z } from 'zod';
import { GenerationState } from './generation-state';
import { jobProgress, type ReportProgress } from './job-progress';
import { lazyChild, type NodeJobLog } from './logger';
import { readNodeJobRecord } from './node-job-record';
import { promoteCoordinatorAfterReport } from './start-evaluation';
import type { WorkerDependencies } from './worker-dependencies';

// What every per-node job of a start (node-start, node-probe) checks before it does anything:
// BullMQ is at-least-once, so a node job may run after its start was superseded, decided, or
// after the node already reported. One place, so the two jobs can never disagree on when to
// stand down.

export interface NodeJobPayload {
  cluster: string;
  generation: number;
  node: string;
}

export interface NodeJobContext<P extends NodeJobPayload> {
  payload: P;
  log: NodeJobLog;
  state: GenerationState;
  /** The generation's record as this worker last read it (shared and frozen: never mutate). */
  record: ClusterDict;
  node: NodeDict;
  /** How many nodes this node's generation (its start or resize) launches. */
  generationSize: number;
  progress: ReportProgress;
  /** After this node's report: wake the coordinator if the start's outcome is now certain. */
  promoteAfter: (outcome: 'up' | 'down' | 'failed') => Promise<boolean>;
}

export type NodeJobOpening<P extends NodeJobPayload> = { skipped: string } | { context: NodeJobContext<P> };

export async function openNodeJob<S extends z.ZodType<NodeJobPayload>>(
  deps: WorkerDependencies,
  job: Job,
  schema: S,
): Promise<NodeJobOpening<z.infer<S>>> {
  const payload = parseJobPayload(schema, job);
  const log = lazyChild(deps.log, { cluster: payload.cluster, node: payload.node, jobId: job.id });
  const state = new GenerationState(deps.redis, deps.prefix, payload.cluster, payload.generation);
  const current = await readNodeJobRecord(deps.repository, deps.redis, payload.cluster);
  if (current === null) return { skipped: 'superseded by another start or a stop' };
  const { record } = current;
  const node = current.node(payload.node);
  // A cluster's nodes come from several generations (its start and its resizes): a node job acts
  // only while the record's node is the one its generation launched. Not so: a later start
  // replaced the record, or a failed resize removed the node (and a later one may reuse its name).
  if (node !== undefined && generationOf(record, node) !== payload.generation) return { skipped: 'superseded by another start, a resize or a stop' };
  if (node === undefined && record.generation !== payload.generation) return { skipped: 'superseded by another start, a resize or a stop' };
  // Decided: a dropped node or a rolled-back growth's node has left the record, and that is fine.
  if ((await state.decision()) !== null) return { skipped: 'the start is already decided' };
  if (node === undefined) throw new UnrecoverableError(`node \`${payload.node}\` is not in the record of cluster \`${payload.cluster}\``);
  if (await state.hasResult(node.name)) return { skipped: 'the node already reported' };
  const promoteAfter = (outcome: 'up' | 'down' | 'failed') =>
    promoteCoordinatorAfterReport(deps, state, record, outcome, current.nodeCountOf(payload.generation));
  const progress = jobProgress(job, { cluster: record.name, node: node.name, kind: node.kind });
  return { context: { payload, log, state, record, node, generationSize: current.nodeCountOf(payload.generation), progress, promoteAfter } };
}
