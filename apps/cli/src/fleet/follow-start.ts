import type { ClusterDict, ClusterStatus } from '@elastiq/core';
import type { FleetProducer } from '@elastiq/queue';
import type { CommandContext } from '../command-context';
import type { InterruptWatch } from '../interrupt';
import { createStartProgressView } from '../output/start-progress';
import { readStartSnapshot, type StartSnapshot } from './start-snapshot';

/** Statuses a start moves through; any other status is where it ended. */
const IN_PROGRESS = new Set<ClusterStatus>(['starting', 'setting-up', 'stopping', 'resizing']);

export type FollowOutcome = { kind: 'finished'; cluster: ClusterDict | null; last: StartSnapshot } | { kind: 'detached' };

const POLL_MS = 300;
/** How long after the deadline a start may stay undecided before we suspect no worker runs. */
const OVERDUE_MS = 20_000;

/**
 * Follows a cluster's start (or setup, or stop) until it ends, showing its progress. It only
 * reads: Ctrl+C detaches the watcher and leaves the fleet's work going on.
 */
export async function followStart(
  context: CommandContext,
  producer: FleetProducer,
  name: string,
  interrupt: InterruptWatch,
  { showProgress }: { showProgress: boolean },
): Promise<FollowOutcome> {
  const redis = await context.connectRedis();
  const repository = await context.openRepository();
  const view = showProgress ? createStartProgressView(context.terminal) : null;
  let warnedOverdue = false;
  // Checked once per phase: a start's node jobs, its setup job (only workers with
  // ansible-playbook take it: a fleet without one would wait silently), a stop's job.
  const checkedWorkers = new Set<ClusterStatus>();
    for (;;) {
      const record = (await repository.get(name))?.value ?? null;
      if (showProgress && record !== null && IN_PROGRESS.has(record.status) && !checkedWorkers.has(record.status)) {
        checkedWorkers.add(record.status);
        await noteMissingWorkers(context, producer, record.status);
      }
      const snapshot = await readStartSnapshot(redis, producer, context.settings.queuePrefix, record);
      view?.update(snapshot);
      if (record === null || !IN_PROGRESS.has(record.status)) {
        view?.stop();
        return { kind: 'finished', cluster: record, last: snapshot };
      }
      if (!warnedOverdue && record.status === 'starting' && record.startDeadline !== null && Date.now() > Date.parse(record.startDeadline) + OVERDUE_MS) {
        warnedOverdue = true;
        context.terminal.err(
          `warning: the start of \`${name}\` is past its deadline and still undecided: is an elastiq-worker running with the same ELASTIQ_REDIS_URL and ELASTIQ_QUEUE_PREFIX?`,
        );
      }
      if (interrupt.interrupted) break;
      await interrupt.pause(POLL_MS);
      if (interrupt.interrupted) break;
    }
    view?.stop();
    return { kind: 'detached' };
}

/** A start or setup with no worker to take it waits silently for ever: say so once. */
async function noteMissingWorkers(context: CommandContext, producer: FleetProducer, status: ClusterStatus): Promise<void> {
  const [queue, what] =
    status === 'setting-up'
      ? [producer.queues.clusterSetup, 'setup (it needs a worker with ansible-playbook on PATH)']
      : status === 'stopping'
        ? [producer.queues.clusterStop, 'stop']
        : [producer.queues.nodeStart, status === 'resizing' ? 'resize' : 'start'];
  if ((await queue.getWorkersCount()) === 0) {
    context.terminal.err(`note: no elastiq-worker serving ${queue.name} jobs is connected to this Redis right now; the ${what} goes on when one is.`);
  }
}
