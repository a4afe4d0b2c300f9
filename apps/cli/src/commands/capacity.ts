import type { Command } from 'commander';
import type { CommandContext } from '../command-context';
import { formatTable } from '../output/table';
import type { CommandRunner } from '../program';

interface CapacityOptions {
  json?: boolean;
}

export function registerCapacity(program: Command, run: CommandRunner): void {
  program
    .command('capacity')
    .description('list the offerings (instance type @ zone) every start skips for now, because they answered "no capacity", and why')
    .option('--json', 'print a JSON array, one object per offering')
    .addHelpText('after', '\nAn offering stays skipped for ELASTIQ_FLEET_UNAVAILABLE_OFFERING_TTL_MS (default 3 min) after its refusal.')
    .action((options: CapacityOptions) => run((context) => showCapacity(context, options)));
}

async function showCapacity(context: CommandContext, options: CapacityOptions): Promise<number> {
  const client = await context.openClient('capacity');
  const offerings = await client.unavailableOfferings();
  if (options.json) {
    context.terminal.out(JSON.stringify(offerings, null, 2));
    return 0;
  }
  if (offerings.length === 0) {
    context.terminal.out('No offering is marked unavailable.');
    return 0;
  }
  const rows = offerings.map((entry) => [entry.offering, entry.code, `${entry.cluster}/${entry.kind}`, entry.markedAt, `${Math.ceil(entry.expiresInMs / 1000)}s`]);
  context.terminal.out(formatTable(['offering', 'answer', 'seen by', 'since', 'skipped for'], rows));
  return 0;
}
