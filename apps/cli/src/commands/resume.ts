import { ClusterNotFound, EXIT_CODES } from '@elastiq/core';
import type { Command } from 'commander';
import type { CommandContext } from '../command-context';
import { followToEnd } from '../fleet/wait-for-status';
import type { CommandRunner } from '../program';

interface ResumeOptions {
  wait?: boolean;
  json?: boolean;
}

export function registerResume(program: Command, run: CommandRunner): void {
  program
    .command('resume')
    .description('start a paused cluster again: every node is probed at its new address against its pinned host key; setup runs again when an address changed')
    .argument('<cluster>', 'cluster name')
    .option('--no-wait', 'return once the resume is enqueued')
    .option('--json', 'print the final cluster record as JSON')
    .action((name: string, options: ResumeOptions) => run((context) => resumeCluster(context, name, options)));
}

async function resumeCluster(context: CommandContext, name: string, options: ResumeOptions): Promise<number> {
  const producer = await context.openProducer('resume');
  if ((await (await context.openRepository()).get(name)) === null) throw new ClusterNotFound(name);
  const { jobId, deadline } = await producer.resumeCluster(name);
  context.terminal.err(`Resuming cluster \`${name}\`: starting its instances; nodes not back by ${new Date(deadline).toISOString()} are reported ...`);
  if (options.wait === false) return 0;
  const request = { passing: new Set(['resuming', 'setting-up'] as const), queue: producer.queues.clusterResume, jobId, doing: 'resuming', json: options.json === true };
  const cluster = await followToEnd(context, name, request);
  if (typeof cluster === 'number') return cluster;
  const notBack = Object.values(cluster.nodes)
    .flat()
    .filter((node) => node.state === 'down' || node.state === 'failed');
  if (notBack.length > 0) {
    context.terminal.err(`\nerror: ${notBack.length} node(s) of \`${name}\` did not come back: ${notBack.map((node) => `${node.name} (${node.lastError ?? node.state})`).join('; ')}`);
    context.terminal.err('The other nodes are running; `elastiq update` refreshes what the cloud reports, `elastiq stop` ends the cluster.');
    return EXIT_CODES.failure;
  }
  if (cluster.status === 'setup-failed') {
    context.terminal.err(`\nerror: cluster \`${name}\` is back but its setup failed: ${cluster.statusReason ?? ''}; run \`elastiq setup ${name}\` after fixing it.`);
    return EXIT_CODES.failure;
  }
  context.terminal.err(`\nYour cluster \`${name}\` is back: ${cluster.statusReason ?? cluster.status}`);
  return 0;
}
