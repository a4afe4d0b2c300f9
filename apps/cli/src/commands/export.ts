import { readFile, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { ClusterBusy, type ClusterDict, ClusterNotFound, EXIT_CODES, ElastiqError, type ClusterStatus } from '@elastiq/core';
import { hostsInventory } from '@elastiq/setup';
import { knownHostsLine } from '@elastiq/ssh';
import type { Command } from 'commander';
import { keyEntryNames, packArchive } from '../archive/cluster-archive';
import type { CommandContext } from '../command-context';
import type { CommandRunner } from '../program';
import { pinnedEntries } from '../remote/ssh-target';

/** A record that the fleet is still writing: an import of it would wait for jobs that are not there. */
const IN_PROGRESS = new Set<ClusterStatus>(['starting', 'setting-up', 'stopping', 'resizing', 'pausing', 'resuming']);

interface ExportOptions {
  output?: string;
  saveKeys?: boolean;
  overwrite?: boolean;
}

export function registerExport(program: Command, run: CommandRunner): void {
  program
    .command('export')
    .description('write one zip archive with the cluster record, its pinned known_hosts and its inventory (for `elastiq import` elsewhere)')
    .argument('<cluster>', 'cluster name')
    .option('-o, --output-file <file>', 'where to write it (default NAME.zip; .zip is appended when missing)')
    .option('--save-keys', 'also put the cluster\'s SSH key files in the archive (it then is as secret as the keys)')
    .option('--overwrite', 'replace the output file if it exists')
    .action((name: string, options: ExportOptions & { outputFile?: string }) => run((context) => exportCluster(context, name, { ...options, output: options.outputFile })));
}

async function exportCluster(context: CommandContext, name: string, options: ExportOptions): Promise<number> {
  const stored = await (await context.openRepository()).get(name);
  if (stored === null) throw new ClusterNotFound(name);
  const record = stored.value;
  if (IN_PROGRESS.has(record.status)) {
    throw new ClusterBusy(name, record.status, 'be exported now', { hint: `export it once that is over (\`elastiq watch ${name}\`): the archive must hold a settled record` });
  }
  const output = resolve(withZip(options.output ?? name));
  const keys = options.saveKeys ? await readKeys(record) : new Map<string, Uint8Array>();
  const archive = packArchive({ record, knownHosts: knownHostsText(record), inventory: hostsInventory(record), keys });
  try {
    // 0600: with --save-keys it holds a private key; without, host addresses are still nobody else's business.
    await writeFile(output, archive, { mode: 0o600, flag: options.overwrite ? 'w' : 'wx' });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ElastiqError(
      code === 'EEXIST' ? `${output} already exists` : `cannot write ${output}: ${(error as Error).message}`,
      { hint: code === 'EEXIST' ? 'pass --overwrite to replace it, or choose another file with -o' : 'choose another file with -o', exitCode: EXIT_CODES.cantCreate },
    );
  }
  if (options.saveKeys) context.terminal.err(`warning: ${output} contains the SSH key files of \`${name}\` (${[...keys.keys()].join(', ')}): keep it as secret as the keys.`);
  context.terminal.err(`Exported cluster \`${name}\` to ${output}${options.saveKeys ? '' : ' (without key files: pass --save-keys to include them)'}.`);
  return 0;
}

function withZip(file: string): string {
  return file.endsWith('.zip') ? file : `${file}.zip`;
}

function knownHostsText(record: ClusterDict): string {
  const lines = [...new Set(pinnedEntries(record).map(knownHostsLine))];
  return lines.length > 0 ? `${lines.join('\n')}\n` : '';
}

/** Every distinct key file the record names (the cluster's and any node's own), read now. */
async function readKeys(record: ClusterDict): Promise<Map<string, Uint8Array>> {
  const keys = new Map<string, Uint8Array>();
  for (const [path, entry] of keyEntryNames(keyPaths(record))) {
    try {
      keys.set(entry, await readFile(path));
    } catch (error) {
      throw new ElastiqError(`cannot read the key file ${path} of cluster \`${record.name}\`: ${(error as Error).message}`, {
        hint: 'export without --save-keys, or restore the key file first',
        exitCode: EXIT_CODES.noInput,
      });
    }
  }
  return keys;
}

export function keyPaths(record: ClusterDict): string[] {
  const nodes = Object.values(record.nodes).flat();
  return [record.userKeyPrivate, record.userKeyPublic, ...nodes.flatMap((node) => [node.userKeyPrivate, node.userKeyPublic])].filter((path) => path !== '');
}
