import { ClusterNotFound } from '@elastiq/core';
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
  const client = await context.openClient('stop');
  const existing = await client.get(name);
  if (existing === null) throw new ClusterNotFound(name, { hint: 'it is already stopped, or was never started; `elastiq list` shows the clusters that exist' });
  if (!options.yes && !(await confirm(`Do you really want to stop cluster \`${name}\` (${existing.status})?`, '-y/--yes'))) {
    context.terminal.err('Aborting upon user request.');
    return EXIT_DECLINED;
  }
  // Ctrl+C neither cuts the stop request in half nor cancels the stop: it only ends the waiting.
  const interrupt = new InterruptWatch();
  try {
    context.terminal.err(`Destroying cluster \`${name}\` ...`);
    const { stopped } = await client.stop(name, { force: options.force === true, wait: options.wait === true && !interrupt.interrupted, signal: interrupt.signal });
    if (!options.wait || interrupt.interrupted) {
      if (!options.wait) context.terminal.err(`The fleet terminates its instances; \`elastiq list\` shows when \`${name}\` is gone (\`elastiq stop --wait ${name}\` waits for it).`);
      else context.terminal.err(`\nStopped waiting; the fleet goes on terminating \`${name}\` (\`elastiq list\` shows when it is gone).`);
      return options.wait ? EXIT_INTERRUPTED : 0;
    }
    if (!stopped) return EXIT_INTERRUPTED;
  } finally {
    interrupt.dispose();
  }
  context.terminal.err(`Cluster \`${name}\` stopped: every instance terminated, record deleted.`);
  return 0;
}
