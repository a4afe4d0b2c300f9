import type { Command } from 'commander';
import type { CommandContext } from '../command-context';
import type { CommandRunner } from '../program';
import { runOpenSsh, sshArguments, sshTarget } from '../remote/ssh-target';

interface SshOptions {
  node?: string;
}

export function registerSsh(program: Command, run: CommandRunner): void {
  program
    .command('ssh')
    .description('open an SSH session on a node (default: the ssh_to node), checking its pinned host key')
    .argument('<cluster>', 'cluster name')
    .argument('[args...]', 'arguments for ssh after `--`, e.g. a command to run: elastiq ssh demo -- hostname')
    .option('-n, --node <name>', 'a node name, or a kind name for its first node')
    .action((name: string, args: string[], options: SshOptions) => run((context) => sshToNode(context, name, args, options)));
}

async function sshToNode(context: CommandContext, name: string, args: string[], options: SshOptions): Promise<number> {
  return runOpenSsh('ssh', sshArguments(await sshTarget(context, name, options.node), args));
}
