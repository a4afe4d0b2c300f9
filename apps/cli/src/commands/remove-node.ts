import { checkRemoval, Cluster } from '@elastiq/core';
import type { Command } from 'commander';
import type { CommandContext } from '../command-context';
import { confirm, EXIT_DECLINED } from '../confirm';
import type { CommandRunner } from '../program';
import { followResize } from '../resize/follow-resize';
import { resizableRecord } from '../resize/resize-request';

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
  const record = await resizableRecord(context, name, 'remove a node');
  const cluster = Cluster.fromDict(record, { source: `cluster record \`${name}\`` });
  const node = cluster.getNodeByName(nodeName);
  checkRemoval(cluster, [node], { force: options.force === true });
  const removed = cluster.removeNode(node, { stop: true });
  const what = removed.instanceId === null ? 'it has no instance' : `instance ${removed.instanceId}`;
  if (!options.yes && !(await confirm(`Terminate node \`${removed.name}\` of cluster \`${name}\` (${what})?`, '-y/--yes'))) {
    context.terminal.err('Aborting upon user request.');
    return EXIT_DECLINED;
  }
  const client = await context.openClient('remove-node');
  const started = await client.producer.shrinkCluster({ name, remove: [removed.name], runSetup: options.setup, summary: `-${removed.name}` });
  context.terminal.err(`Removing node \`${removed.name}\` from cluster \`${name}\` (generation ${started.generation}).`);
  return followResize(context, client, name, { wait: options.wait });
}
