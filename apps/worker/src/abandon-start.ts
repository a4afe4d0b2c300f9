import { CoordinatorPayloadSchema, nodesOfGeneration, type StoredDecision } from '@elastiq/queue';
import type { Job } from 'bullmq';
import { GenerationState } from './generation-state';
import { recordedInstances, recordFailure, terminateEverything } from './rollback';
import type { WorkerDependencies } from './worker-dependencies';

// A coordinator that will not run again (attempts used up, an unrecoverable error, too many
// stalls) must not leave its cluster `starting` for ever with instances running and billed:
// nobody else would ever act on that start. It is rolled back like a `failed` decision.

/**
 * Rolls back the start a coordinator job was for, once that job has failed for good. Idempotent
 * (it acts only while the record says `starting` for that generation), so the processor's last
 * attempt and the worker's `failed` event may both call it.
 */
export async function abandonStart(deps: WorkerDependencies, job: Pick<Job, 'data' | 'id'>, attempts: number, error: unknown): Promise<void> {
  // A payload this worker cannot read (another version during an upgrade) is not its start to
  // roll back: a worker that can read it will.
  const payload = CoordinatorPayloadSchema.safeParse(job.data);
  if (!payload.success) return;
  const { cluster, generation } = payload.data;
  const record = (await deps.repository.get(cluster))?.value;
  if (record === undefined || record.generation !== generation || (record.status !== 'starting' && record.status !== 'resizing')) return;
  const log = deps.log.child({ cluster, generation, jobId: job.id });
  const state = new GenerationState(deps.redis, deps.prefix, cluster, generation);
  // A growth is rolled back like a start, but only its own nodes (its generation's tag).
  if (record.status === 'resizing' && (await state.plan())?.action !== 'grow') return;
  const cause = error instanceof Error ? error.message : String(error);
  const reason = `the start could not be completed (coordinator failed after ${attempts} attempt(s): ${cause})`;
  const decision = await state.abandon({
    decision: 'failed',
    decidedAt: Date.now(),
    keep: [],
    drop: nodesOfGeneration(record, generation).map((node) => node.name),
    reasons: {},
    summary: `failed: ${reason}`,
  });
  if (decision.decision === 'stopped') return; // the stop job terminates and deletes
  let summary = `failed: ${reason}; its instances were terminated`;
  try {
    const { terminated } = await terminateEverything(deps.cloudFor(record), cluster, generation, await recordedInstances(state));
    log.error({ terminated: terminated.length, err: cause }, 'coordinator gave up: start rolled back');
  } catch (terminateError) {
    const message = terminateError instanceof Error ? terminateError.message : String(terminateError);
    summary = `failed: ${reason}; terminating its instances failed too (${message}): run \`elastiq stop ${cluster}\``;
    log.error({ err: cause, terminateError: message }, 'coordinator gave up and could not roll back');
  }
  await recordFailure(deps, record, { ...decision, summary } satisfies StoredDecision);
}
