import type { NodeDict } from '@elastiq/core';
import type { Command } from 'commander';
import type { CommandContext } from '../command-context';
import { confirm, EXIT_DECLINED } from '../confirm';
import type { CommandRunner } from '../program';
import { followResize } from '../resize/follow-resize';

interface RemoveNodeOptions {
  setup: boolean;
  wait: boolean;
  yes?: boolean;
  force?: boolean;
}

export function registerRemoveNode(program: Command, run: CommandRunner): void {
  program
    .command('remove-node')
    .description('terminate one node of a cluster, free its name and run setup again')
    .argument('<cluster>', 'cluster name')
    .argument('<node>', 'node name (see `elastiq list-nodes CLUSTER`)')
    .option('--no-setup', 'do not run the setup step again afterwards')
    .option('--no-wait', 'enqueue the removal and return')
    .option('-y, --yes', 'do not ask for confirmation')
    .option('--force', 'remove the node even if its kind falls below min_nodes')
    .action((name: string, node: string, options: RemoveNodeOptions) => run((context) => removeNode(context, name, node, options)));
}

async function removeNode(context: CommandContext, name: string, nodeName: string, options: RemoveNodeOptions): Promise<number> {
  const client = await context.openClient('remove-node');
  const plan = await client.planRemoval({ name, node: nodeName, force: options.force === true, setup: options.setup });
  const removed = plan.nodes[0] as NodeDict;
  const what = removed.instanceId === null ? 'it has no instance' : `instance ${removed.instanceId}`;
  if (!options.yes && !(await confirm(`Terminate node \`${removed.name}\` of cluster \`${name}\` (${what})?`, '-y/--yes'))) {
    context.terminal.err('Aborting upon user request.');
    return EXIT_DECLINED;
  }
  const handle = await client.resize(plan);
  context.terminal.err(`Removing node \`${removed.name}\` from cluster \`${name}\` (generation ${handle.generation}).`);
  return followResize(context, client, handle, { wait: options.wait });
}
