import type { Command } from 'commander';
import type { CommandContext } from '../command-context';
import type { CommandRunner } from '../program';
import { runOpenSsh, sftpArguments, sshTarget } from '../remote/ssh-target';

interface SftpOptions {
  node?: string;
}

export function registerSftp(program: Command, run: CommandRunner): void {
  program
    .command('sftp')
    .description('open an SFTP session on a node (default: the ssh_to node), with the cluster key and its pinned host key')
    .argument('<cluster>', 'cluster name')
    .argument('[args...]', 'options for sftp after `--`, e.g. a batch file: elastiq sftp demo -- -b commands.txt')
    .option('-n, --node <name>', 'a node name, or a kind name for its first node')
    .action((name: string, args: string[], options: SftpOptions) => run((context) => sftpToNode(context, name, args, options)));
}

async function sftpToNode(context: CommandContext, name: string, args: string[], options: SftpOptions): Promise<number> {
  return runOpenSsh('sftp', sftpArguments(await sshTarget(context, name, options.node), args));
}
