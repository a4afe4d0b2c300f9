import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { type LoadConfigurationOptions, type LoadedConfiguration, loadConfiguration } from '../../src';

export const EXAMPLES_DIR = resolve(__dirname, '../../../../examples');

/** A throw-away home directory with ~/.ssh/id_rsa{,.pub}, and INI text written to files in it. */
export class ConfigSandbox {
  private constructor(readonly homeDir: string) {}

  static async create(): Promise<ConfigSandbox> {
    const homeDir = await mkdtemp(join(tmpdir(), 'elastiq-config-'));
    await mkdir(join(homeDir, '.ssh'));
    // Only readability is checked at load time; the content is not a real key.
    await writeFile(join(homeDir, '.ssh', 'id_rsa'), 'private key placeholder\n', { mode: 0o600 });
    await writeFile(join(homeDir, '.ssh', 'id_rsa.pub'), 'ssh-rsa AAAA placeholder\n');
    return new ConfigSandbox(homeDir);
  }

  path(relative: string): string {
    return join(this.homeDir, relative);
  }

  async write(relative: string, text: string): Promise<string> {
    const path = this.path(relative);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, text);
    return path;
  }

  /** Loads the given file (as with -c) with this sandbox as home and cwd. */
  load(configPath: string, options: Omit<LoadConfigurationOptions, 'configPath'> = {}): Promise<LoadedConfiguration> {
    return loadConfiguration({ explicit: true, homeDir: this.homeDir, cwd: this.homeDir, env: { PATH: process.env.PATH }, configPath, ...options });
  }

  /** Writes `text` as a config file and loads it. */
  async loadText(text: string, options: Omit<LoadConfigurationOptions, 'configPath'> = {}, name = 'config'): Promise<LoadedConfiguration> {
    return this.load(await this.write(name, text), options);
  }

  async remove(): Promise<void> {
    await rm(this.homeDir, { recursive: true, force: true });
  }
}

/** The per-kind facts ElastiCluster users see, for compact expectations. */
export function kindSummary(config: LoadedConfiguration, template: string) {
  const found = config.templates[template];
  if (!found) throw new Error(`template ${template} not loaded; dropped: ${JSON.stringify(config.dropped)}`);
  return found.kinds.map((kind) => ({
    kind: kind.kind,
    count: kind.count,
    min: kind.min,
    imageId: kind.imageId,
    flavor: kind.flavor,
    imageUser: kind.imageUser,
    securityGroup: kind.securityGroup,
    groups: found.setup.groups[kind.kind],
  }));
}
