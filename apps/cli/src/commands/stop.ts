import { ClusterNotFound, EXIT_CODES, ElastiqError } from '@elastiq/core';
import type { FleetProducer } from '@elastiq/queue';
import type { Command } from 'commander';
import type { CommandContext } from '../command-context';
import { confirm, EXIT_DECLINED } from '../confirm';
import { EXIT_INTERRUPTED } from '../errors';
import { InterruptWatch } from '../interrupt';
import type { CommandRunner } from '../program';

interface StopOptions {
  force?: boolean;
  wait?: boolean;
  yes?: boolean;
}

const POLL_MS = 300;

export function registerStop(program: Command, run: CommandRunner): void {
  program
    .command('stop')
    .description('terminate every instance of a cluster (also of a start in progress) and delete its record')
    .argument('<cluster>', 'cluster name')
    .option('--force', 'delete the record even if the cloud still reports instances of the cluster')
    .option('--wait', 'wait until every instance is terminated and the record is deleted')
    .option('-y, --yes', 'do not ask for confirmation')
    .action((name: string, options: StopOptions) => run((context) => stopCluster(context, name, options)));
}

async function stopCluster(context: CommandContext, name: string, options: StopOptions): Promise<number> {
  const producer = await context.openProducer('stop');
  const repository = await context.openRepository();
  const existing = await repository.get(name);
  if (existing === null) throw new ClusterNotFound(name, { hint: 'it is already stopped, or was never started; `elastiq list` shows the clusters that exist' });
  if (!options.yes && !(await confirm(`Do you really want to stop cluster \`${name}\` (${existing.value.status})?`, '-y/--yes'))) {
    context.terminal.err('Aborting upon user request.');
    return EXIT_DECLINED;
  }
  // Ctrl+C neither cuts the stop request in half nor cancels the stop: it only ends the waiting.
  const interrupt = new InterruptWatch();
  try {
    const { jobId } = await producer.stopCluster(name, { force: options.force === true });
    context.terminal.err(`Destroying cluster \`${name}\` ...`);
    if (!options.wait || interrupt.interrupted) {
      context.terminal.err(`The fleet terminates its instances; \`elastiq list\` shows when \`${name}\` is gone (\`elastiq stop --wait ${name}\` waits for it).`);
      return options.wait ? EXIT_INTERRUPTED : 0;
    }
    if (!(await waitUntilStopped(producer, context, name, jobId, interrupt))) {
      context.terminal.err(`\nStopped waiting; the fleet goes on terminating \`${name}\` (\`elastiq list\` shows when it is gone).`);
      return EXIT_INTERRUPTED;
    }
  } finally {
    interrupt.dispose();
  }
  context.terminal.err(`Cluster \`${name}\` stopped: every instance terminated, record deleted.`);
  return 0;
}

/**
 * Until the record is gone (true) or Ctrl+C (false); a stop job that gave up is reported with the
 * fleet's reason.
 */
async function waitUntilStopped(producer: FleetProducer, context: CommandContext, name: string, jobId: string, interrupt: InterruptWatch): Promise<boolean> {
  const repository = await context.openRepository();
  for (;;) {
    if ((await repository.get(name)) === null) return true;
    const job = await producer.queues.clusterStop.getJob(jobId);
    if (job !== undefined && (await job.getState()) === 'failed') {
      throw new ElastiqError(`cluster \`${name}\` could not be stopped: ${job.failedReason}`, {
        hint: `run \`elastiq stop ${name}\` again later, or \`elastiq stop --force ${name}\` to forget it anyway`,
        exitCode: EXIT_CODES.tempFail,
      });
    }
    await interrupt.pause(POLL_MS);
    if (interrupt.interrupted) return false;
  }
}
