import { homedir } from 'node:os';
import { resolve } from 'node:path';
import { parseCloudSection } from './cloud-section';
import { buildClusterTemplate, type ClusterReferences, type Reference } from './cluster-template';
import { emptyDocument } from './config-document';
import { isYamlFile, locateConfigFiles, readConfigFile } from './config-files';
import { configurationError } from './configuration-error';
import { type ConfigWarning, Diagnostics, type DroppedSection, SectionDrop } from './diagnostics';
import { readIniInto } from './ini-parser';
import { parseLoginSection } from './login-section';
import { applyKeyRenames } from './renames';
import { resolveSections } from './resolve-sections';
import type { ResolvedSection } from './resolved-section';
import { parseSetupSection } from './setup-section';
import type { ClusterTemplate } from './template-schema';
import { readYamlInto } from './yaml-document';

export interface LoadConfigurationOptions {
  /** `-c` value; default `~/.elasticluster/config` (plus `<path>.d/*.conf`). */
  configPath?: string;
  /** True when `-c` was given: a missing file is then reported as such. */
  explicit?: boolean;
  /** Environment for `$VAR` expansion and EC2_ACCESS_KEY/EC2_SECRET_KEY; default process.env. */
  env?: Record<string, string | undefined>;
  homeDir?: string;
  /** Base of relative key/playbook paths (ElastiCluster uses the process CWD). */
  cwd?: string;
  /** Value of `%(elasticluster_playbooks)s`; default ELASTIQ_PLAYBOOKS_DIR or `<repo>/share/playbooks`. */
  playbooksDir?: string;
}

export interface LoadedConfiguration {
  files: string[];
  templates: Record<string, ClusterTemplate>;
  warnings: ConfigWarning[];
  dropped: DroppedSection[];
}

/** Validates every section of one type; a problem drops that section (and is reported). */
async function parseAll<T>(
  sections: Map<string, ResolvedSection>,
  parse: (section: ResolvedSection) => Promise<T> | T,
  diagnostics: Diagnostics,
): Promise<(name: string) => Reference<T>> {
  const results = new Map<string, Reference<T>>();
  for (const [name, section] of sections) {
    try {
      results.set(name, { value: await parse(section), section });
    } catch (error) {
      if (!(error instanceof SectionDrop)) throw error;
      diagnostics.drop(section.header, error);
      results.set(name, { dropReason: `${error.location.key ? `${error.location.key} ` : ''}${error.reason}` });
    }
  }
  return (name) => results.get(name);
}

export async function loadConfiguration(options: LoadConfigurationOptions = {}): Promise<LoadedConfiguration> {
  const env = options.env ?? process.env;
  const homeDir = options.homeDir ?? homedir();
  const cwd = options.cwd ?? process.cwd();
  const playbooksDir = options.playbooksDir ?? env.ELASTIQ_PLAYBOOKS_DIR ?? resolve(__dirname, '../../../share/playbooks');
  const files = await locateConfigFiles({ configPath: options.configPath, explicit: options.explicit, homeDir, cwd });

  const document = emptyDocument();
  for (const file of files) {
    const text = await readConfigFile(file);
    if (isYamlFile(file)) readYamlInto(document, text, file);
    else readIniInto(document, text, file);
  }
  const diagnostics = new Diagnostics();
  const builtins = { elasticluster_playbooks: playbooksDir, ansible_pb_dir: playbooksDir };
  const groups = resolveSections(document, { env, builtins }, diagnostics);
  if (groups.clusters.size === 0 && groups.kindSections.size === 0) {
    throw configurationError(
      { file: files.join(', ') },
      'defines no cluster template: add a [cluster/NAME] section that names a cloud, login and setup section and the node kinds',
    );
  }
  applyKeyRenames(groups, diagnostics);

  const context = { env, homeDir, cwd, playbooksDir };
  const references: ClusterReferences = {
    cloud: await parseAll(groups.clouds, (section) => parseCloudSection(section, env, diagnostics), diagnostics),
    login: await parseAll(groups.logins, (section) => parseLoginSection(section, context, diagnostics), diagnostics),
    setup: await parseAll(groups.setups, (section) => parseSetupSection(section, context, diagnostics), diagnostics),
  };
  const templates: Record<string, ClusterTemplate> = {};
  for (const [name, cluster] of groups.clusters) {
    try {
      templates[name] = buildClusterTemplate(cluster, groups.kindSections.get(name) ?? [], references, diagnostics);
    } catch (error) {
      if (!(error instanceof SectionDrop)) throw error;
      diagnostics.drop(cluster.header, error);
    }
  }
  for (const [name, overrides] of groups.kindSections) {
    if (groups.clusters.has(name)) continue;
    const first = overrides[0] as ResolvedSection;
    diagnostics.drop(
      `cluster/${name}`,
      new SectionDrop({ file: first.file, section: first.header }, `has per-kind sections such as [${first.header}] but no [cluster/${name}] section`),
    );
  }
  return { files, templates, warnings: diagnostics.warnings, dropped: diagnostics.dropped };
}
