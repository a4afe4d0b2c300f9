import { type ClusterDict, type ClusterStatus, EXIT_CODES, ElastiqError } from '@elastiq/core';
import type { FleetQueues } from '@elastiq/queue';
import type { CommandContext } from '../command-context';
import type { InterruptWatch } from '../interrupt';

const POLL_MS = 300;

type Queue = FleetQueues['clusterPause'];

export type StatusWait = { kind: 'settled'; cluster: ClusterDict | null } | { kind: 'detached' };

/**
 * Polls the record until its status leaves `passing` (or the record is gone); Ctrl+C only stops
 * the waiting. A job of `queue` that failed for good ends the wait with its reason.
 */
export async function waitWhileStatus(
  context: CommandContext,
  name: string,
  passing: ReadonlySet<ClusterStatus>,
  interrupt: InterruptWatch,
  job: { queue: Queue; jobId: string },
): Promise<StatusWait> {
  const repository = await context.openRepository();
  if ((await job.queue.getWorkersCount()) === 0) {
    context.terminal.err(`note: no elastiq-worker serving ${job.queue.name} jobs is connected to this Redis right now; the work goes on when one is.`);
  }
  for (;;) {
    const record = (await repository.get(name))?.value ?? null;
    if (record === null || !passing.has(record.status)) return { kind: 'settled', cluster: record };
    const current = await job.queue.getJob(job.jobId);
    if (current !== undefined && (await current.getState()) === 'failed') {
      throw new ElastiqError(`cluster \`${name}\` is still ${record.status}: ${current.failedReason}`, { exitCode: EXIT_CODES.tempFail });
    }
    await interrupt.pause(POLL_MS);
    if (interrupt.interrupted) return { kind: 'detached' };
  }
}
