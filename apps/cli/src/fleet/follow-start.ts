import { type ElastiqClient, isInProgress, type StartSnapshot } from '@elastiq/client';
import type { ClusterDict, ClusterStatus } from '@elastiq/core';
import type { CommandContext } from '../command-context';
import type { InterruptWatch } from '../interrupt';
import { createStartProgressView } from '../output/start-progress';

export type FollowOutcome = { kind: 'finished'; cluster: ClusterDict | null; last: StartSnapshot } | { kind: 'detached' };

/** How long after the deadline a start may stay undecided before we suspect no worker runs. */
const OVERDUE_MS = 20_000;

/**
 * Follows a cluster's start (or setup, or stop) until it ends, showing its progress, through the
 * client's snapshots (what an admin script sees). It only reads: Ctrl+C detaches the watcher and
 * leaves the fleet's work going on.
 */
export async function followStart(
  context: CommandContext,
  client: ElastiqClient,
  name: string,
  interrupt: InterruptWatch,
  { showProgress }: { showProgress: boolean },
): Promise<FollowOutcome> {
  const view = showProgress ? createStartProgressView(context.terminal) : null;
  let warnedOverdue = false;
  // Checked once per phase: a start's node jobs, its setup job (only workers with
  // ansible-playbook take it: a fleet without one would wait silently), a stop's job.
  const checkedWorkers = new Set<ClusterStatus>();
  let last: StartSnapshot | undefined;
  for await (const snapshot of client.follow(name, { signal: interrupt.signal })) {
    last = snapshot;
    const record = snapshot.cluster;
    if (showProgress && record !== null && isInProgress(record.status) && !checkedWorkers.has(record.status)) {
      checkedWorkers.add(record.status);
      await noteMissingWorkers(context, client, record.status);
    }
    view?.update(snapshot);
    if (!warnedOverdue && record?.status === 'starting' && record.startDeadline !== null && Date.now() > Date.parse(record.startDeadline) + OVERDUE_MS) {
      warnedOverdue = true;
      context.terminal.err(
        `warning: the start of \`${name}\` is past its deadline and still undecided: is an elastiq-worker running with the same ELASTIQ_REDIS_URL and ELASTIQ_QUEUE_PREFIX?`,
      );
    }
  }
  view?.stop();
  if (interrupt.interrupted || last === undefined) return { kind: 'detached' };
  return { kind: 'finished', cluster: last.cluster, last };
}

/** A start or setup with no worker to take it waits silently for ever: say so once. */
async function noteMissingWorkers(context: CommandContext, client: ElastiqClient, status: ClusterStatus): Promise<void> {
  const { queues } = client.producer;
  const [queue, what] =
    status === 'setting-up'
      ? [queues.clusterSetup, 'setup (it needs a worker with ansible-playbook on PATH)']
      : status === 'stopping'
        ? [queues.clusterStop, 'stop']
        : status === 'pausing'
          ? [queues.clusterPause, 'pause']
          : status === 'resuming'
            ? [queues.clusterResume, 'resume']
            : [queues.nodeStart, status === 'resizing' ? 'resize' : 'start'];
  if ((await queue.getWorkersCount()) === 0) {
    context.terminal.err(`note: no elastiq-worker serving ${queue.name} jobs is connected to this Redis right now; the ${what} goes on when one is.`);
  }
}
