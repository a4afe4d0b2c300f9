import type { Command } from 'commander';
import type { CommandContext } from '../command-context';
import { UsageError } from '../errors';
import { followStart } from '../fleet/follow-start';
import { InterruptWatch } from '../interrupt';
import { requestSetup } from '../fleet/request-setup';
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
    .argument('[ansible-args...]', 'extra ansible-playbook arguments after `--` (not carried by the fleet yet)')
    .option('--json', 'print the final cluster record as JSON (no progress)')
    .action((name: string, extra: string[], options: SetupOptions) => run((context) => setupCluster(context, name, extra, options)));
}

async function setupCluster(context: CommandContext, name: string, extra: string[], options: SetupOptions): Promise<number> {
  if (extra.length > 0) {
    // Silently dropping them would run a different setup than the one asked for.
    throw new UsageError(`extra ansible-playbook arguments (${extra.join(' ')}) cannot be passed to the fleet's setup job yet`, 'put them in ansible_extra_args of the [setup/...] section for now');
  }
  const producer = await context.openProducer('setup');
  await requestSetup(producer, await context.openRepository(), name);
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
