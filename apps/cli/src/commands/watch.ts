import { ClusterNotFound } from '@elastiq/core';
import type { Command } from 'commander';
import type { CommandContext } from '../command-context';
import { followAndReport } from '../fleet/follow-and-report';
import type { CommandRunner } from '../program';

interface WatchOptions {
  json?: boolean;
}

export function registerWatch(program: Command, run: CommandRunner): void {
  program
    .command('watch')
    .description('follow what the fleet is doing to a cluster (start, setup, resize, pause, resume, stop) until it ends; exits like `start` would')
    .argument('<cluster>', 'cluster name')
    .option('--json', 'print the final cluster record as JSON (no progress bars)')
    .action((name: string, options: WatchOptions) => run((context) => watchCluster(context, name, options)));
}

async function watchCluster(context: CommandContext, name: string, options: WatchOptions): Promise<number> {
  const client = await context.openClient('watch');
  if ((await client.get(name)) === null) throw new ClusterNotFound(name);
  return followAndReport(context, client, name, { json: options.json === true });
}
