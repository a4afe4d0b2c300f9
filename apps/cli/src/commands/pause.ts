import { ClusterNotFound, EXIT_CODES } from '@elastiq/core';
import type { Command } from 'commander';
import type { CommandContext } from '../command-context';
import { followToEnd } from '../fleet/wait-for-status';
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
  const cluster = await followToEnd(context, name, { passing: new Set(['pausing']), queue: producer.queues.clusterPause, jobId, doing: 'pausing', json: options.json === true });
  if (typeof cluster === 'number') return cluster;
  if (cluster.status !== 'paused') {
    context.terminal.err(`\nCluster \`${name}\` is ${cluster.status}: ${cluster.statusReason ?? ''}`);
    return EXIT_CODES.failure;
  }
  context.terminal.err(`\nCluster \`${name}\` is paused; \`elastiq resume ${name}\` starts it again.`);
  return 0;
}
