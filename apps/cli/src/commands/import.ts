import { access, mkdir, readFile, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { type ClusterDict, ClusterExists, EXIT_CODES, ElastiqError } from '@elastiq/core';
import type { Command } from 'commander';
import { keyEntryNames, unpackArchive } from '../archive/cluster-archive';
import { parseClusterName } from '../cli-args';
import type { CommandContext } from '../command-context';
import type { CommandRunner } from '../program';
import { knownHostsPath } from '../remote/ssh-target';
import { keyPaths } from './export';

interface ImportOptions {
  rename?: string;
}

export function registerImport(program: Command, run: CommandRunner): void {
  program
    .command('import')
    .description('add a cluster from an `elastiq export` archive to this store (Redis, or -s DIR); never overwrites one')
    .argument('<file>', 'the archive (NAME.zip)')
    .option('--rename <name>', 'import it under another name')
    .action((file: string, options: ImportOptions) => run((context) => importCluster(context, file, options)));
}

async function importCluster(context: CommandContext, file: string, options: ImportOptions): Promise<number> {
  const path = resolve(file);
  const archive = unpackArchive(await readArchive(path), file);
  const name = options.rename === undefined ? archive.record.name : parseClusterName(options.rename, '--rename');
  const repository = await context.openRepository();
  if ((await repository.get(name)) !== null) {
    throw new ClusterExists(name, { hint: `import it under another name with --rename, or stop \`${name}\` first` });
  }
  let record = renamed(archive.record, name);
  if (archive.keys.size > 0) record = await placeKeys(context, record, archive.record, archive.keys);
  try {
    await repository.save(record, null);
  } catch (error) {
    if (error instanceof ElastiqError && error.exitCode === EXIT_CODES.cantCreate) throw new ClusterExists(name);
    throw error;
  }
  const knownHosts = knownHostsPath(context, name);
  await mkdir(join(knownHosts, '..'), { recursive: true });
  await writeFile(knownHosts, archive.knownHosts, { mode: 0o644 });
  context.terminal.err(`Imported cluster \`${name}\` (${record.status}) from ${path}.`);
  if (archive.keys.size === 0) {
    // Unlike ElastiCluster, the key paths are kept (not pointed at known_hosts): say which files the cluster needs.
    for (const key of new Set(keyPaths(record))) {
      const present = await access(key).then(() => true, () => false);
      context.terminal.err(`${present ? 'note' : 'warning'}: the archive holds no key files; the cluster uses ${key}${present ? '' : ', which does not exist here'}`);
    }
  }
  return 0;
}

async function readArchive(path: string): Promise<Uint8Array> {
  try {
    return await readFile(path);
  } catch (error) {
    throw new ElastiqError(`cannot read ${path}: ${(error as Error).message}`, { hint: 'give the file `elastiq export` wrote', exitCode: EXIT_CODES.noInput });
  }
}

function renamed(record: ClusterDict, name: string): ClusterDict {
  const copy = structuredClone(record);
  copy.name = name;
  for (const node of Object.values(copy.nodes).flat()) node.clusterName = name;
  copy.updatedAt = new Date().toISOString();
  return copy;
}

/** Writes the archive's key files (0600) next to the store and points the record at them. */
async function placeKeys(context: CommandContext, record: ClusterDict, exported: ClusterDict, keys: Map<string, Uint8Array>): Promise<ClusterDict> {
  const base = context.options.storage !== undefined ? resolve(context.options.storage) : join(homedir(), '.elastiq');
  const dir = join(base, 'keys', record.name);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const placed = new Map<string, string>();
  for (const [original, entry] of keyEntryNames(keyPaths(exported))) {
    const bytes = keys.get(entry);
    if (bytes === undefined) continue; // not in the archive: the record keeps that path
    const target = join(dir, entry);
    await writeFile(target, bytes, { mode: 0o600, flag: 'wx' }).catch((error: NodeJS.ErrnoException) => {
      throw new ElastiqError(`cannot write the key file ${target}: ${error.message}`, { hint: 'remove it first if it is left from an earlier import', exitCode: EXIT_CODES.cantCreate });
    });
    placed.set(original, target);
  }
  const moved = (path: string) => placed.get(path) ?? path;
  record.userKeyPrivate = moved(record.userKeyPrivate);
  record.userKeyPublic = moved(record.userKeyPublic);
  for (const node of Object.values(record.nodes).flat()) {
    node.userKeyPrivate = moved(node.userKeyPrivate);
    node.userKeyPublic = moved(node.userKeyPublic);
  }
  context.terminal.err(`The archive's key files are in ${dir}.`);
  return record;
}
