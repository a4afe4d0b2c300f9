import { ClusterNotFound } from '@elastiq/core';
import type { Command } from 'commander';
import type { CommandContext } from '../command-context';
import { followStart } from '../fleet/follow-start';
import { InterruptWatch } from '../interrupt';
import { reportDetached, reportStartResult } from '../output/start-result';
import type { CommandRunner } from '../program';

interface WatchOptions {
  json?: boolean;
}

export function registerWatch(program: Command, run: CommandRunner): void {
  program
    .command('watch')
    .description('follow the start (or setup) of a cluster until it ends; exits like `start` would')
    .argument('<cluster>', 'cluster name')
    .option('--json', 'print the final cluster record as JSON (no progress bars)')
    .action((name: string, options: WatchOptions) => run((context) => watchCluster(context, name, options)));
}

async function watchCluster(context: CommandContext, name: string, options: WatchOptions): Promise<number> {
  const producer = await context.openProducer('watch');
  if ((await (await context.openRepository()).get(name)) === null) throw new ClusterNotFound(name);
  const interrupt = new InterruptWatch();
  let outcome: Awaited<ReturnType<typeof followStart>>;
  try {
    outcome = await followStart(context, producer, name, interrupt, { showProgress: !options.json });
  } finally {
    interrupt.dispose();
  }
  if (outcome.kind === 'detached') return reportDetached(context.terminal, name);
  return reportStartResult(context.terminal, name, outcome.cluster, options.json === true);
}
