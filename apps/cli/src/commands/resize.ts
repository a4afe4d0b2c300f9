import type { NodeDict } from '@elastiq/core';
import type { Command } from 'commander';
import type { CommandContext } from '../command-context';
import { confirm, EXIT_DECLINED } from '../confirm';
import { UsageError } from '../errors';
import { followResize } from '../resize/follow-resize';
import { parseCounts } from '../resize/resize-request';
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
  const client = await context.openClient('resize');
  if (additions.length > 0) {
    // The client reads the configuration (-c) only for a kind the cluster does not have yet.
    const plan = await client.planGrowth({ name, add: additions, min: parseCounts(options.min, '--min'), template: options.template, setup: options.setup });
    const handle = await client.resize(plan);
    context.terminal.err(`Resizing cluster \`${name}\` (generation ${handle.generation}): adding ${names(plan.nodes)}.`);
    context.terminal.err('The nodes already running are not touched; added nodes that do not come up are terminated.');
    return followResize(context, client, handle, { wait: options.wait });
  }
  const plan = await client.planShrink({ name, remove: removals, setup: options.setup });
  const question = `Terminate ${plan.nodes.length} node(s) of cluster \`${name}\`: ${names(plan.nodes)}?`;
  if (!options.yes && !(await confirm(question, '-y/--yes'))) {
    context.terminal.err('Aborting upon user request.');
    return EXIT_DECLINED;
  }
  const handle = await client.resize(plan);
  context.terminal.err(`Resizing cluster \`${name}\` (generation ${handle.generation}): terminating ${names(plan.nodes)}.`);
  return followResize(context, client, handle, { wait: options.wait });
}

function names(nodes: readonly NodeDict[]): string {
  return nodes.map((node) => node.name).join(', ');
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}
