import { EXIT_CODES } from '@elastiq/core';
import type { ElastiqClient, ResizeHandle } from '@elastiq/client';
import type { CommandContext } from '../command-context';
import { reportFollowOutcome } from '../fleet/follow-and-report';
import { followStart } from '../fleet/follow-start';
import { InterruptWatch } from '../interrupt';
import { formatNodeTable } from '../output/node-table';

/**
 * Follows a resize (and the setup after it) like a start. A growth none of whose nodes stayed
 * was rolled back: the cluster has its old status again, but the command failed, so it says so
 * and exits 1.
 */
export async function followResize(context: CommandContext, client: ElastiqClient, handle: ResizeHandle, { wait }: { wait: boolean }): Promise<number> {
  const { name } = handle;
  if (!wait) {
    context.terminal.err(`The fleet is resizing \`${name}\`. Follow it with \`elastiq watch ${name}\`.`);
    return 0;
  }
  const interrupt = new InterruptWatch();
  try {
    const outcome = await followStart(context, client, name, interrupt, { showProgress: true });
    if (outcome.kind === 'finished' && outcome.cluster !== null && handle.rolledBack(outcome.cluster)) {
      context.terminal.out(formatNodeTable(outcome.cluster));
      context.terminal.err(`\nerror: ${outcome.cluster.statusReason ?? `the resize of \`${name}\` was rolled back`}`);
      return EXIT_CODES.failure;
    }
    return reportFollowOutcome(context, name, outcome, false);
  } finally {
    interrupt.dispose();
  }
}
