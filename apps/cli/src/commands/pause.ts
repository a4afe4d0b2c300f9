import { ClusterNotFound, EXIT_CODES } from '@elastiq/core';
import type { Command } from 'commander';
import type { CommandContext } from '../command-context';
import { EXIT_INTERRUPTED } from '../errors';
import { waitWhileStatus } from '../fleet/wait-for-status';
import { InterruptWatch } from '../interrupt';
import { formatClusterSummary } from '../output/cluster-summary';
import { formatNodeTable } from '../output/node-table';
import type { CommandRunner } from '../program';

interface PauseOptions {
  wait?: boolean;
  json?: boolean;
}

export function registerPause(program: Command, run: CommandRunner): void {
  program
    .command('pause')
    .description('stop every instance of a started cluster (StopInstances), keeping its record, disks and host keys; `resume` starts them again')
    .argument('<cluster>', 'cluster name')
    .option('--no-wait', 'return once the pause is enqueued, without waiting for the instances to stop')
    .option('--json', 'print the final cluster record as JSON')
    .action((name: string, options: PauseOptions) => run((context) => pauseCluster(context, name, options)));
}

async function pauseCluster(context: CommandContext, name: string, options: PauseOptions): Promise<number> {
  const producer = await context.openProducer('pause');
  const existing = await (await context.openRepository()).get(name);
  if (existing === null) throw new ClusterNotFound(name);
  if (existing.value.status === 'paused') {
    context.terminal.err(`Cluster \`${name}\` is already paused (\`elastiq resume ${name}\` starts it again).`);
    return 0;
  }
  const { jobId } = await producer.pauseCluster(name);
  context.terminal.err(`Pausing cluster \`${name}\`: stopping its instances ...`);
  if (options.wait === false) return 0;
  const interrupt = new InterruptWatch();
  try {
    const outcome = await waitWhileStatus(context, name, new Set(['pausing']), interrupt, { queue: producer.queues.clusterPause, jobId });
    if (outcome.kind === 'detached') {
      context.terminal.err(`\nStopped waiting; the fleet goes on pausing \`${name}\`.`);
      return EXIT_INTERRUPTED;
    }
    const cluster = outcome.cluster;
    if (cluster === null) {
      context.terminal.err(`Cluster \`${name}\` was stopped while pausing.`);
      return EXIT_CODES.failure;
    }
    context.terminal.out(options.json ? JSON.stringify(cluster, null, 2) : `${formatClusterSummary(cluster)}\n${formatNodeTable(cluster)}`);
    if (cluster.status !== 'paused') {
      context.terminal.err(`\nCluster \`${name}\` is ${cluster.status}: ${cluster.statusReason ?? ''}`);
      return EXIT_CODES.failure;
    }
    context.terminal.err(`\nCluster \`${name}\` is paused; \`elastiq resume ${name}\` starts it again.`);
    return 0;
  } finally {
    interrupt.dispose();
  }
}
