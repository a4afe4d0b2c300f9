import { getTemplate } from '@elastiq/config';
import { Cluster, type ClusterDict, growthMinimums, type Node, planGrowth, planShrink } from '@elastiq/core';
import { nodeSpecOfKind } from '@elastiq/client';
import type { Command } from 'commander';
import type { CommandContext } from '../command-context';
import { confirm, EXIT_DECLINED } from '../confirm';
import { UsageError } from '../errors';
import { followResize } from '../resize/follow-resize';
import { describeCounts, parseCounts, resizableRecord } from '../resize/resize-request';
import type { CommandRunner } from '../program';

interface ResizeOptions {
  add: string[];
  remove: string[];
  min: string[];
  template?: string;
  setup: boolean;
  wait: boolean;
  yes?: boolean;
}

export function registerResize(program: Command, run: CommandRunner): void {
  program
    .command('resize')
    .description('add nodes to a running cluster (a new generation of only those nodes) or remove its highest-indexed nodes, then run setup again')
    .argument('<cluster>', 'cluster name')
    .option('-a, --add <N:KIND>', 'add N nodes of KIND; names fill the holes first (repeatable, or N1:KIND1,N2:KIND2)', collect, [])
    .option('-r, --remove <N:KIND>', 'remove the N highest-indexed nodes of KIND, never the ssh_to node (repeatable)', collect, [])
    .option('--min <N:KIND>', 'keep the growth if at least N of the added KIND nodes come up (default: all of them)', collect, [])
    .option('-t, --template <template>', 'where a kind the cluster does not have yet comes from (default: the cluster\'s template)')
    .option('--no-setup', 'do not run the setup step again afterwards')
    .option('--no-wait', 'enqueue the resize and return; follow it with `elastiq watch NAME`')
    .option('-y, --yes', 'do not ask for confirmation before removing nodes')
    .action((name: string, options: ResizeOptions) => run((context) => resizeCluster(context, name, options)));
}

async function resizeCluster(context: CommandContext, name: string, options: ResizeOptions): Promise<number> {
  const additions = parseCounts(options.add, '--add');
  const removals = parseCounts(options.remove, '--remove');
  if ((additions.length > 0) === (removals.length > 0)) {
    throw new UsageError('give either -a/--add N:KIND or -r/--remove N:KIND', `e.g. \`elastiq resize ${name} -a 2:compute\``);
  }
  const record = await resizableRecord(context, name, 'be resized');
  const cluster = Cluster.fromDict(record, { source: `cluster record \`${name}\`` });
  return additions.length > 0 ? grow(context, cluster, record, additions, options) : shrink(context, cluster, removals, options);
}

async function grow(context: CommandContext, cluster: Cluster, record: ClusterDict, additions: ReturnType<typeof parseCounts>, options: ResizeOptions): Promise<number> {
  const minimums = growthMinimums(additions, parseCounts(options.min, '--min'));
  // The configuration is read only for a kind the cluster does not have yet.
  const newKinds = additions.filter(({ kind }) => (cluster.nodes[kind]?.length ?? 0) === 0);
  const template = newKinds.length > 0 ? getTemplate(await context.loadConfiguration(), options.template ?? record.template) : undefined;
  const added = planGrowth(cluster, additions, (kind) => (template === undefined ? undefined : nodeSpecOfKind(template, kind)));
  const summary = describeCounts('+', additions);
  const client = await context.openClient('resize');
  const started = await client.producer.growCluster({ name: cluster.name, add: added.map((node) => node.toDict()), min: minimums, runSetup: options.setup, summary });
  context.terminal.err(`Resizing cluster \`${cluster.name}\` (generation ${started.generation}): adding ${names(added)}.`);
  context.terminal.err('The nodes already running are not touched; added nodes that do not come up are terminated.');
  return followResize(context, client, cluster.name, { wait: options.wait, added: added.map((node) => node.name) });
}

async function shrink(context: CommandContext, cluster: Cluster, removals: ReturnType<typeof parseCounts>, options: ResizeOptions): Promise<number> {
  const removing = planShrink(cluster, removals);
  const question = `Terminate ${removing.length} node(s) of cluster \`${cluster.name}\`: ${names(removing)}?`;
  if (!options.yes && !(await confirm(question, '-y/--yes'))) {
    context.terminal.err('Aborting upon user request.');
    return EXIT_DECLINED;
  }
  const client = await context.openClient('resize');
  const started = await client.producer.shrinkCluster({ name: cluster.name, remove: removing.map((node) => node.name), runSetup: options.setup, summary: describeCounts('-', removals) });
  context.terminal.err(`Resizing cluster \`${cluster.name}\` (generation ${started.generation}): terminating ${names(removing)}.`);
  return followResize(context, client, cluster.name, { wait: options.wait });
}

function names(nodes: readonly Node[]): string {
  return nodes.map((node) => node.name).join(', ');
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}
