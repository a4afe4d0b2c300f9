import type { Command } from 'commander';
import type { CommandContext } from '../command-context';
import { followStart } from '../fleet/follow-start';
import { InterruptWatch } from '../interrupt';
import { reportDetached, reportStartResult } from '../output/start-result';
import type { CommandRunner } from '../program';

interface SetupOptions {
  json?: boolean;
}

export function registerSetup(program: Command, run: CommandRunner): void {
  program
    .command('setup')
    .description('run the setup step (Ansible playbook or script) of a started cluster again; idempotent')
    .argument('<cluster>', 'cluster name')
    .argument('[ansible-args...]', 'extra ansible-playbook arguments for this run, after `--` (e.g. `-- --tags slurm -v`)')
    .option('--json', 'print the final cluster record as JSON (no progress)')
    .action((name: string, extra: string[], options: SetupOptions) => run((context) => setupCluster(context, name, extra, options)));
}

async function setupCluster(context: CommandContext, name: string, extraArgs: string[], options: SetupOptions): Promise<number> {
  const producer = await context.openProducer('setup');
  await producer.setupCluster(name, { extraArgs });
  context.terminal.err(`Configuring cluster \`${name}\` ...`);
  const interrupt = new InterruptWatch();
  let outcome: Awaited<ReturnType<typeof followStart>>;
  try {
    outcome = await followStart(context, producer, name, interrupt, { showProgress: !options.json });
  } finally {
    interrupt.dispose();
  }
  if (outcome.kind === 'detached') return reportDetached(context.terminal, name);
  return reportStartResult(context.terminal, name, outcome.cluster, options.json === true);
}
