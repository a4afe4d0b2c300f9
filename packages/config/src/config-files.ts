import { readdir, readFile, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { configurationError } from './configuration-error';
import { expandHome } from './paths';

export interface ConfigFileLocation {
  /** `-c` value, or the default `~/.elasticluster/config`. */
  configPath?: string;
  /** True when the user gave `-c`. */
  explicit?: boolean;
  homeDir: string;
  /** Base of a relative configPath. */
  cwd: string;
}

async function isFile(path: string): Promise<boolean> {
  return (await stat(path).catch(() => undefined))?.isFile() ?? false;
}

async function isDirectory(path: string): Promise<boolean> {
  return (await stat(path).catch(() => undefined))?.isDirectory() ?? false;
}

/**
 * The files to read, in the order they are read: the main file, then `<main>.d/*.conf` sorted by
 * name. ElastiCluster keeps them in a Python set, so which file wins a repeated key changes from
 * run to run (notes §1.1 [BUG]); a later file here always wins over an earlier one.
 */
export async function locateConfigFiles(location: ConfigFileLocation): Promise<string[]> {
  const mainPath = resolve(location.cwd, expandHome(location.configPath ?? '~/.elasticluster/config', location.homeDir));
  const dropInDir = `${mainPath}.d`;
  const files: string[] = [];
  if (await isFile(mainPath)) files.push(mainPath);
  const hasDropInDir = await isDirectory(dropInDir);
  if (hasDropInDir) {
    const names = (await readdir(dropInDir)).filter((name) => name.endsWith('.conf')).sort();
    for (const name of names) {
      if (await isFile(join(dropInDir, name))) files.push(join(dropInDir, name));
    }
  }
  if (files.length > 0) return files;
  if (location.explicit) {
    throw configurationError(
      { file: mainPath },
      `unable to read configuration file: neither ${mainPath} nor ${dropInDir}/*.conf exists; check the path given with -c`,
    );
  }
  if (hasDropInDir) {
    throw configurationError({ file: dropInDir }, `contains no *.conf file and ${mainPath} does not exist`);
  }
  throw configurationError(
    {},
    `no configuration found: elastiq reads ${mainPath} and ${dropInDir}/*.conf (or the file given with -c). ` +
      `Create one of them; the examples/ folder has ready-made ElastiCluster configurations.`,
  );
}

export async function readConfigFile(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    throw configurationError({ file: path }, `cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'}): check its permissions`);
  }
}

export function isYamlFile(path: string): boolean {
  return /\.ya?ml$/i.test(path);
}
