import { mkdir, readFile, readdir, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { type ClusterDict, ConcurrentModification } from '@elastiq/core';
import { writeFileAtomically } from './atomic-write';
import {
  CLUSTER_FILE_EXTENSIONS,
  type ClusterFileFormat,
  type DecodedFile,
  decodeClusterFile,
  encodeClusterFile,
  FORMAT_LOOKUP_ORDER,
} from './cluster-file-format';
import { assertStorableClusterName, validateForSave } from './cluster-record';
import { CorruptClusterRecord } from './corrupt-cluster-record';
import { type FileLockOptions, withFileLock } from './file-lock';
import type { ClusterRepository, Versioned } from './repository';
import { emitProcessWarning, type StoreWarningHandler } from './store-warning';

export interface DiskClusterRepositoryOptions {
  /** Format of new cluster files (default yaml); an existing file keeps its format. */
  format?: ClusterFileFormat;
  /** Told about files that list() skips because they do not parse. */
  onWarning?: StoreWarningHandler;
  lock?: FileLockOptions;
}

interface ClusterFile {
  path: string;
  format: ClusterFileFormat;
}

const CLUSTER_FILE_NAME = /^([^.].*)\.(json|yaml)$/;

function isMissing(error: unknown): boolean {
  return (error as NodeJS.ErrnoException).code === 'ENOENT';
}

/**
 * One file per cluster in a storage directory, like ElastiCluster's `~/.elasticluster/storage`:
 * for users without Redis and for export/import. Writes are atomic and serialised per cluster by
 * a lock file, so concurrent processes get the same guarantees as with Redis.
 */
export class DiskClusterRepository implements ClusterRepository {
  private readonly format: ClusterFileFormat;
  private readonly onWarning: StoreWarningHandler;
  private readonly lockOptions: FileLockOptions;

  constructor(
    readonly dir: string,
    { format = 'yaml', onWarning = emitProcessWarning, lock = {} }: DiskClusterRepositoryOptions = {},
  ) {
    this.format = format;
    this.onWarning = onWarning;
    this.lockOptions = lock;
  }

  async get(name: string): Promise<Versioned<ClusterDict> | null> {
    assertStorableClusterName(name);
    const file = await this.findFile(name);
    if (file === null) return null;
    const decoded = await this.readFile(name, file);
    if (decoded === null) return null; // deleted since findFile
    if (!decoded.ok) throw new CorruptClusterRecord(name, file.path, decoded.problem, { hint: `fix or remove ${file.path}` });
    return decoded.record;
  }

  async list(): Promise<Versioned<ClusterDict>[]> {
    let entries: string[];
    try {
      entries = await readdir(this.dir);
    } catch (error) {
      if (isMissing(error)) return [];
      throw error;
    }
    const files = new Map<string, ClusterFile>();
    for (const entry of entries.sort()) {
      const match = CLUSTER_FILE_NAME.exec(entry);
      if (match === null) continue;
      const [, name, format] = match as unknown as [string, string, ClusterFileFormat];
      const known = files.get(name);
      // Same precedence as get(): json before yaml.
      if (known === undefined || FORMAT_LOOKUP_ORDER.indexOf(format) < FORMAT_LOOKUP_ORDER.indexOf(known.format)) {
        files.set(name, { path: join(this.dir, entry), format });
      }
    }
    const records: Versioned<ClusterDict>[] = [];
    // By name, not by file name: `a-b.yaml` sorts before `a.yaml`, but `a` comes before `a-b`.
    for (const name of [...files.keys()].sort()) {
      const file = files.get(name) as ClusterFile;
      const decoded = await this.readFile(name, file);
      if (decoded === null) continue;
      if (decoded.ok) {
        records.push(decoded.record);
      } else {
        this.onWarning({
          clusterName: name,
          location: file.path,
          message: `skipping cluster \`${name}\`: ${file.path} ${decoded.problem} (fix or remove the file)`,
        });
      }
    }
    return records;
  }

  async save(cluster: ClusterDict, expectedRevision: number | null): Promise<number> {
    const value = validateForSave(cluster);
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    return withFileLock(
      this.lockPath(value.name),
      async () => {
        const file = await this.findFile(value.name);
        const actual = file === null ? null : await this.currentRevision(value.name, file);
        if (actual !== expectedRevision) throw new ConcurrentModification(value.name, expectedRevision, actual);
        const revision = (actual ?? 0) + 1;
        const format = file?.format ?? this.format;
        await writeFileAtomically(this.pathOf(value.name, format), encodeClusterFile(value, revision, format));
        return revision;
      },
      this.lockOptions,
    );
  }

  async delete(name: string, expectedRevision?: number): Promise<boolean> {
    assertStorableClusterName(name);
    if ((await this.findFile(name)) === null) return false;
    return withFileLock(
      this.lockPath(name),
      async () => {
        const file = await this.findFile(name);
        if (file === null) return false;
        if (expectedRevision !== undefined) {
          const actual = await this.currentRevision(name, file);
          if (actual !== expectedRevision) throw new ConcurrentModification(name, expectedRevision, actual);
        }
        // Every format: a leftover of another format would otherwise reappear as the record.
        for (const format of FORMAT_LOOKUP_ORDER) {
          await unlink(this.pathOf(name, format)).catch((error) => {
            if (!isMissing(error)) throw error;
          });
        }
        return true;
      },
      this.lockOptions,
    );
  }

  /** The file a cluster is stored in (for export and error messages). */
  pathOf(name: string, format: ClusterFileFormat = this.format): string {
    return join(this.dir, `${name}${CLUSTER_FILE_EXTENSIONS[format]}`);
  }

  private lockPath(name: string): string {
    return join(this.dir, `.${name}.lock`);
  }

  private async findFile(name: string): Promise<ClusterFile | null> {
    for (const format of FORMAT_LOOKUP_ORDER) {
      const path = this.pathOf(name, format);
      try {
        await stat(path);
        return { path, format };
      } catch (error) {
        if (!isMissing(error)) throw error;
      }
    }
    return null;
  }

  /** null when the file disappeared meanwhile. */
  private async readFile(name: string, file: ClusterFile): Promise<DecodedFile | null> {
    try {
      return decodeClusterFile(await readFile(file.path, 'utf8'), file.format, name);
    } catch (error) {
      if (isMissing(error)) return null;
      return { ok: false, problem: `cannot be read (${(error as Error).message})` };
    }
  }

  private async currentRevision(name: string, file: ClusterFile): Promise<number | null> {
    const decoded = await this.readFile(name, file);
    if (decoded === null) return null;
    if (!decoded.ok) {
      throw new CorruptClusterRecord(name, file.path, decoded.problem, {
        hint: `fix or remove ${file.path} before saving this cluster again`,
      });
    }
    return decoded.record.revision;
  }
}
