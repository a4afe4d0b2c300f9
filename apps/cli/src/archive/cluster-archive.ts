import { basename } from 'node:path';
import { type ClusterDict, EXIT_CODES, ElastiqError } from '@elastiq/core';
import { decodeClusterFile, encodeClusterFile } from '@elastiq/store';
import { strFromU8, strToU8, unzipSync, type Unzipped, zipSync } from 'fflate';

// The archive of `elastiq export` / `elastiq import`: a zip like ElastiCluster's (notes §3.6),
// everything at its root: `<name>.yaml` (the record, in the disk store's format),
// `<name>.known_hosts` (the pinned host keys), `<name>.inventory` (hosts and groups), and with
// --save-keys the key files under `keys/`. An archive is input from anywhere: every entry name,
// size and the record itself are checked before anything is written.

export interface ClusterArchive {
  record: ClusterDict;
  knownHosts: string;
  inventory: string;
  /** Key file name (a bare basename) → its bytes. */
  keys: Map<string, Uint8Array>;
}

/** Far more than a record of 10,000 nodes and its keys; a larger entry is refused, not inflated. */
const MAX_ENTRY_BYTES = 64 * 1024 * 1024;
const KEY_ENTRY = /^keys\/([A-Za-z0-9._-]+)$/;

export function packArchive({ record, knownHosts, inventory, keys }: ClusterArchive): Uint8Array {
  const entries: Record<string, Uint8Array> = {
    [`${record.name}.yaml`]: strToU8(encodeClusterFile(record, 0, 'yaml')),
    [`${record.name}.known_hosts`]: strToU8(knownHosts),
    [`${record.name}.inventory`]: strToU8(inventory),
  };
  for (const [name, bytes] of keys) entries[`keys/${name}`] = bytes;
  return zipSync(entries, { level: 6 });
}

/** Reads an archive or says in one line what is wrong with it (exit 65, EX_DATAERR). */
export function unpackArchive(bytes: Uint8Array, file: string): ClusterArchive {
  let entries: Unzipped;
  try {
    entries = unzipSync(bytes, {
      filter: (entry) => {
        if (entry.originalSize > MAX_ENTRY_BYTES) throw invalid(file, `its entry \`${entry.name}\` would inflate to ${entry.originalSize} bytes`);
        return true;
      },
    });
  } catch (error) {
    if (error instanceof ElastiqError) throw error;
    throw invalid(file, `it is not a zip archive (${(error as Error).message})`);
  }
  const names = Object.keys(entries).filter((name) => !name.endsWith('/'));
  const records = names.filter((name) => /^[^/]+\.yaml$/.test(name));
  if (records.length !== 1) throw invalid(file, `it holds ${records.length} cluster files (\`<name>.yaml\` at its root); an export holds exactly one`);
  const name = (records[0] as string).slice(0, -'.yaml'.length);
  const keys = new Map<string, Uint8Array>();
  for (const entry of names) {
    if (entry === `${name}.yaml` || entry === `${name}.known_hosts` || entry === `${name}.inventory`) continue;
    const key = KEY_ENTRY.exec(entry);
    // Anything else (`../x`, `/etc/x`, `a\b`, a nested path) is refused: import never writes it anywhere.
    if (key === null || key[1] === '.' || key[1] === '..') throw invalid(file, `it has an unexpected entry \`${entry}\``);
    keys.set(key[1] as string, entries[entry] as Uint8Array);
  }
  const decoded = decodeClusterFile(strFromU8(entries[`${name}.yaml`] as Uint8Array), 'yaml', name);
  if (!decoded.ok) throw invalid(file, `its cluster file \`${name}.yaml\` ${decoded.problem}`);
  const knownHosts = entries[`${name}.known_hosts`];
  return { record: decoded.record.value, knownHosts: knownHosts === undefined ? '' : strFromU8(knownHosts), inventory: strFromU8(entries[`${name}.inventory`] ?? new Uint8Array()), keys };
}

/** Archive names of key files, one per distinct path: `id_rsa`, and `2-id_rsa` for another file of that name. */
export function keyEntryNames(paths: readonly string[]): Map<string, string> {
  const byPath = new Map<string, string>();
  const taken = new Set<string>();
  for (const path of paths) {
    if (byPath.has(path)) continue;
    const base = basename(path).replace(/[^A-Za-z0-9._-]/g, '_');
    let name = base;
    for (let n = 2; taken.has(name); n += 1) name = `${n}-${base}`;
    taken.add(name);
    byPath.set(path, name);
  }
  return byPath;
}

function invalid(file: string, problem: string): ElastiqError {
  return new ElastiqError(`${file} is not an elastiq cluster archive: ${problem}`, {
    hint: 'give a file written by `elastiq export` (or ElastiCluster\'s export)',
    exitCode: EXIT_CODES.dataError,
  });
}
