import type { ClusterDict } from '@elastiq/core';
import type { Command } from 'commander';
import type { CommandContext } from '../command-context';
import { formatTable } from '../output/table';

interface ListOptions {
  json?: boolean;
}

export function registerList(program: Command, run: (action: (context: CommandContext) => Promise<number>) => Promise<void>): void {
  program
    .command('list')
    .description('list the clusters in the store (Redis, or the -s storage directory) with their live status')
    .option('--json', 'print a JSON array, one object per cluster')
    .action((options: ListOptions) => run((context) => listClusters(context, options)));
}

async function listClusters(context: CommandContext, options: ListOptions): Promise<number> {
  const repository = await context.openRepository();
  const clusters = (await repository.list()).map((record) => record.value).sort((a, b) => a.name.localeCompare(b.name));
  if (options.json) {
    context.terminal.out(JSON.stringify(clusters.map(listEntry), null, 2));
    return 0;
  }
  if (clusters.length === 0) {
    context.terminal.out('No clusters found.');
    return 0;
  }
  const rows = clusters.map((cluster) => [
    cluster.name,
    cluster.template,
    cluster.status,
    Object.entries(cluster.nodes)
      .map(([kind, nodes]) => `${nodes.length} ${kind}`)
      .join(', '),
    cluster.statusReason ?? '',
  ]);
  context.terminal.out(formatTable(['name', 'template', 'status', 'nodes', 'reason'], rows));
  return 0;
}

function listEntry(cluster: ClusterDict) {
  return {
    name: cluster.name,
    template: cluster.template,
    status: cluster.status,
    statusReason: cluster.statusReason,
    generation: cluster.generation,
    nodes: Object.fromEntries(Object.entries(cluster.nodes).map(([kind, nodes]) => [kind, nodes.length])),
  };
}
