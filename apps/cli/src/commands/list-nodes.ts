import { ClusterNotFound } from '@elastiq/core';
import type { Command } from 'commander';
import type { CommandContext } from '../command-context';
import { formatUpdateReport, runUpdate } from '../fleet/run-update';
import { formatClusterSummary } from '../output/cluster-summary';
import { formatNodeTable } from '../output/node-table';

interface ListNodesOptions {
  json?: boolean;
  update?: boolean;
}

export function registerListNodes(program: Command, run: (action: (context: CommandContext) => Promise<number>) => Promise<void>): void {
  program
    .command('list-nodes')
    .description('show a cluster and its nodes: kind, instance id, state, IP and last error')
    .argument('<cluster>', 'cluster name')
    .option('--json', 'print the cluster record as JSON (key paths, never key material)')
    .option('-u, --update', 'first refresh the nodes from the cloud (like `elastiq update`; runs on a worker)')
    .action((name: string, options: ListNodesOptions) => run((context) => listNodes(context, name, options)));
}

async function listNodes(context: CommandContext, name: string, options: ListNodesOptions): Promise<number> {
  const repository = await context.openRepository();
  if ((await repository.get(name)) === null) throw new ClusterNotFound(name);
  if (options.update) {
    const report = await runUpdate(context, await context.openProducer('list-nodes -u'), name);
    if (!options.json) context.terminal.err(formatUpdateReport(report));
  }
  const record = await repository.get(name);
  if (record === null) throw new ClusterNotFound(name);
  if (options.json) {
    context.terminal.out(JSON.stringify(record.value, null, 2));
    return 0;
  }
  context.terminal.out(`${formatClusterSummary(record.value)}\n${formatNodeTable(record.value)}`);
  return 0;
}
