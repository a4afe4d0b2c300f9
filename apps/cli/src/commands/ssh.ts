import { spawn } from 'node:child_process';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { Cluster, ClusterNotFound, EXIT_CODES, ElastiqError, type NodeDict, NodeNotFound } from '@elastiq/core';
import { expandProxyCommand, writeKnownHosts } from '@elastiq/ssh';
import type { Command } from 'commander';
import type { CommandContext } from '../command-context';
import type { CommandRunner } from '../program';

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
  const record = await (await context.openRepository()).get(name);
  if (record === null) throw new ClusterNotFound(name);
  const cluster = Cluster.fromDict(record.value);
  if (options.node !== undefined && cluster.findNode(options.node) === undefined && !cluster.kinds().includes(options.node)) {
    throw new NodeNotFound(`cluster \`${name}\` has no node or node kind named \`${options.node}\``, {
      clusterName: name,
      nodeName: options.node,
      hint: `its kinds are ${cluster.kinds().join(', ')}; \`elastiq list-nodes ${name}\` shows the nodes`,
    });
  }
  const node = cluster.getSshToNode(options.node ?? null).toDict();
  const ip = node.preferredIp;
  if (ip === null || node.hostKey === null) {
    throw new ElastiqError(`node \`${node.name}\` of cluster \`${name}\` has not answered SSH yet (it is ${node.state})`, {
      hint: `wait for the start to finish (\`elastiq watch ${name}\`)`,
      exitCode: EXIT_CODES.tempFail,
    });
  }
  const knownHosts = knownHostsPath(context, name);
  // Only the keys the fleet pinned when the nodes first answered: StrictHostKeyChecking=yes then
  // refuses an impostor instead of asking the user to trust it.
  await writeKnownHosts(knownHosts, pinnedEntries(record.value.nodes));
  return execSsh(sshArguments(node, ip, knownHosts, args));
}

export function sshArguments(node: NodeDict, ip: string, knownHostsFile: string, extra: readonly string[]): string[] {
  const proxy = node.sshProxyCommand ? ['-o', `ProxyCommand=${expandProxyCommand(node.sshProxyCommand, { host: ip, port: node.sshPort, username: node.imageUser })}`] : [];
  return [
    ...proxy,
    '-i',
    node.userKeyPrivate,
    '-o',
    `UserKnownHostsFile=${knownHostsFile}`,
    '-o',
    'StrictHostKeyChecking=yes',
    '-o',
    `Port=${node.sshPort}`,
    `${node.imageUser}@${ip}`,
    ...extra,
  ];
}

function pinnedEntries(nodes: Record<string, NodeDict[]>) {
  return Object.values(nodes)
    .flat()
    .flatMap((node) => (node.hostKey !== null && node.preferredIp !== null ? [{ host: node.preferredIp, port: node.sshPort, hostKey: node.hostKey }] : []));
}

/** Next to the cluster files with `-s` (as ElastiCluster does), else under ~/.elastiq. */
function knownHostsPath(context: CommandContext, name: string): string {
  const dir = context.options.storage !== undefined ? resolve(context.options.storage) : join(homedir(), '.elastiq', 'known_hosts');
  return join(dir, `${name}.known_hosts`);
}

/** Runs OpenSSH with the terminal handed over, and exits with its status. */
function execSsh(args: string[]): Promise<number> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn('ssh', args, { stdio: 'inherit' });
    // Ctrl+C belongs to the remote session while ssh runs.
    const ignore = () => undefined;
    process.on('SIGINT', ignore);
    child.once('error', (error) => {
      process.off('SIGINT', ignore);
      reject(new ElastiqError(`cannot run ssh: ${error.message}`, { hint: 'install the OpenSSH client (package openssh-client)', exitCode: EXIT_CODES.unavailable }));
    });
    child.once('exit', (code, signal) => {
      process.off('SIGINT', ignore);
      resolvePromise(code ?? (signal ? 128 + 2 : 1));
    });
  });
}
