import type { ElastiqClient } from '@elastiq/client';
import type { CommandContext } from '../command-context';
import { InterruptWatch } from '../interrupt';
import { reportDetached, reportStartResult } from '../output/start-result';
import { type FollowOutcome, followStart } from './follow-start';

/**
 * How a followed start, setup or watch ends for the user: Ctrl+C detaches, anything else prints
 * the cluster and exits the way `start` does, so the three commands cannot drift apart.
 */
export function reportFollowOutcome(context: CommandContext, name: string, outcome: FollowOutcome, json: boolean): number {
  if (outcome.kind === 'detached') return reportDetached(context.terminal, name);
  return reportStartResult(context.terminal, name, outcome.cluster, json);
}

/**
 * Follows a cluster that is already under way (setup, watch) with its own Ctrl+C watch, which
 * ends before the result is printed: only the waiting is detachable.
 */
export async function followAndReport(context: CommandContext, client: ElastiqClient, name: string, { json }: { json: boolean }): Promise<number> {
  const interrupt = new InterruptWatch();
  let outcome: FollowOutcome;
  try {
    outcome = await followStart(context, client, name, interrupt, { showProgress: !json });
  } finally {
    interrupt.dispose();
  }
  return reportFollowOutcome(context, name, outcome, json);
}
