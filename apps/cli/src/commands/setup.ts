import type { Command } from 'commander';
import type { CommandContext } from '../command-context';
import { followAndReport } from '../fleet/follow-and-report';
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
  const client = await context.openClient('setup');
  await client.setup(name, { extraArgs });
  context.terminal.err(`Configuring cluster \`${name}\` ...`);
  return followAndReport(context, client, name, { json: options.json === true });
}
