import type { Command } from 'commander';
import type { CommandContext } from '../command-context';
import { formatUpdateReport, runUpdate } from '../fleet/run-update';
import { formatClusterSummary } from '../output/cluster-summary';
import { formatNodeTable } from '../output/node-table';
import type { CommandRunner } from '../program';

interface UpdateOptions {
  json?: boolean;
}

export function registerUpdate(program: Command, run: CommandRunner): void {
  program
    .command('update')
    .description('refresh every node\'s state and addresses from one listing of the cloud; marks nodes terminated outside elastiq `gone` and lists stray instances')
    .argument('<cluster>', 'cluster name')
    .option('--json', 'print the update report as JSON')
    .action((name: string, options: UpdateOptions) => run((context) => updateCluster(context, name, options)));
}

async function updateCluster(context: CommandContext, name: string, options: UpdateOptions): Promise<number> {
  const producer = await context.openProducer('update');
  const report = await runUpdate(context, producer, name);
  if (options.json) {
    context.terminal.out(JSON.stringify(report, null, 2));
    return 0;
  }
  const record = (await (await context.openRepository()).get(name))?.value;
  context.terminal.out(formatUpdateReport(report));
  if (record !== undefined) context.terminal.out(`${formatClusterSummary(record)}\n${formatNodeTable(record)}`);
  return 0;
}
