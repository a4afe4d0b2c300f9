import { spawn } from 'node:child_process';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { Cluster, type ClusterDict, ClusterNotFound, EXIT_CODES, ElastiqError, type NodeDict, NodeNotFound } from '@elastiq/core';
import { expandProxyCommand, writeKnownHosts } from '@elastiq/ssh';
import type { CommandContext } from '../command-context';

// What `elastiq ssh` and `elastiq sftp` share: which node, at which address, trusted how. Only
// the host keys the fleet pinned when the nodes first answered go into the known_hosts file, and
// StrictHostKeyChecking=yes then refuses an impostor instead of asking the user to trust it.

export interface SshTarget {
  node: NodeDict;
  ip: string;
  knownHostsFile: string;
}

/** The node (default: the ssh_to node) of a cluster, with its pinned known_hosts written. */
export async function sshTarget(context: CommandContext, name: string, nodeOption: string | undefined): Promise<SshTarget> {
  const record = await (await context.openRepository()).get(name);
  if (record === null) throw new ClusterNotFound(name);
  const cluster = Cluster.fromDict(record.value);
  if (nodeOption !== undefined && cluster.findNode(nodeOption) === undefined && !cluster.kinds().includes(nodeOption)) {
    throw new NodeNotFound(`cluster \`${name}\` has no node or node kind named \`${nodeOption}\``, {
      clusterName: name,
      nodeName: nodeOption,
      hint: `its kinds are ${cluster.kinds().join(', ')}; \`elastiq list-nodes ${name}\` shows the nodes`,
    });
  }
  const node = cluster.getSshToNode(nodeOption ?? null).toDict();
  const ip = node.preferredIp;
  if (ip === null || node.hostKey === null) {
    throw new ElastiqError(`node \`${node.name}\` of cluster \`${name}\` has not answered SSH yet (it is ${node.state})`, {
      hint: `wait for the start to finish (\`elastiq watch ${name}\`)`,
      exitCode: EXIT_CODES.tempFail,
    });
  }
  const knownHostsFile = knownHostsPath(context, name);
  await writeKnownHosts(knownHostsFile, pinnedEntries(record.value));
  return { node, ip, knownHostsFile };
}

/** The OpenSSH options of a target (ssh, sftp and scp all take them): key, proxy, pinned host keys, port. */
export function connectionOptions({ node, ip, knownHostsFile }: SshTarget): string[] {
  const proxy = node.sshProxyCommand ? ['-o', `ProxyCommand=${expandProxyCommand(node.sshProxyCommand, { host: ip, port: node.sshPort, username: node.imageUser })}`] : [];
  return [...proxy, '-i', node.userKeyPrivate, '-o', `UserKnownHostsFile=${knownHostsFile}`, '-o', 'StrictHostKeyChecking=yes', '-o', `Port=${node.sshPort}`];
}

export function destination({ node, ip }: SshTarget): string {
  return `${node.imageUser}@${ip}`;
}

/** The pinned host key of every node that has one, as known_hosts entries. */
export function pinnedEntries(record: ClusterDict) {
  return Object.values(record.nodes)
    .flat()
    .flatMap((node) => (node.hostKey !== null && node.preferredIp !== null ? [{ host: node.preferredIp, port: node.sshPort, hostKey: node.hostKey }] : []));
}

/** Next to the cluster files with `-s` (as ElastiCluster does), else under ~/.elastiq. */
export function knownHostsPath(context: CommandContext, name: string): string {
  const dir = context.options.storage !== undefined ? resolve(context.options.storage) : join(homedir(), '.elastiq', 'known_hosts');
  return join(dir, `${name}.known_hosts`);
}

/** Runs an OpenSSH program with the terminal handed over, and exits with its status. */
export function runOpenSsh(program: 'ssh' | 'sftp', args: string[]): Promise<number> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(program, args, { stdio: 'inherit' });
    // Ctrl+C belongs to the remote session while the program runs.
    const ignore = () => undefined;
    process.on('SIGINT', ignore);
    child.once('error', (error) => {
      process.off('SIGINT', ignore);
      reject(new ElastiqError(`cannot run ${program}: ${error.message}`, { hint: 'install the OpenSSH client (package openssh-client)', exitCode: EXIT_CODES.unavailable }));
    });
    child.once('exit', (code, signal) => {
      process.off('SIGINT', ignore);
      resolvePromise(code ?? (signal ? 128 + 2 : 1));
    });
  });
}

/** `ssh`: the user's arguments (a remote command) come after the destination. */
export function sshArguments(target: SshTarget, extra: readonly string[]): string[] {
  return [...connectionOptions(target), destination(target), ...extra];
}

/** `sftp`: its own options (`-b batchfile`, `-r`...) must come before the destination. */
export function sftpArguments(target: SshTarget, extra: readonly string[]): string[] {
  return [...connectionOptions(target), ...extra, destination(target)];
}
