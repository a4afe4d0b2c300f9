import type { ConfigDocument, ConfigEntry } from './config-document';
import type { Diagnostics } from './diagnostics';
import { expandVariables, interpolatePercent, undefinedVariables } from './interpolation';
import { type ResolvedEntry, ResolvedSection } from './resolved-section';

export interface SectionGroups {
  clouds: Map<string, ResolvedSection>;
  logins: Map<string, ResolvedSection>;
  setups: Map<string, ResolvedSection>;
  clusters: Map<string, ResolvedSection>;
  /** Template name → its `[cluster/NAME/KIND]` sections in file order. */
  kindSections: Map<string, ResolvedSection[]>;
}

export interface ResolveOptions {
  env: Record<string, string | undefined>;
  /** `%(elasticluster_playbooks)s` / `%(ansible_pb_dir)s` and the same names as `$VAR`s. */
  builtins: Record<string, string>;
}

function resolveValue(
  key: string,
  entry: ConfigEntry,
  header: string,
  visible: Map<string, ConfigEntry>,
  options: ResolveOptions,
  diagnostics: Diagnostics,
): string {
  const context = {
    file: entry.file,
    section: header,
    key,
    lookup: (name: string) => visible.get(name)?.value ?? options.builtins[name],
  };
  const interpolated = entry.interpolate ? interpolatePercent(entry.value, context) : entry.value;
  const env = { ...options.env, ...options.builtins };
  for (const variable of undefinedVariables(interpolated, env)) {
    diagnostics.warn(context, `refers to ${variable}, which is not set in the environment; it is kept literally, as ElastiCluster does`);
  }
  return expandVariables(interpolated, env);
}

function sectionType(header: string): { type: 'cloud' | 'login' | 'setup' | 'cluster' | 'kind'; name: string; kind?: string } | undefined {
  const parts = header.split('/');
  const [prefix, name, kind] = parts;
  if (!name) return undefined;
  if (parts.length === 2 && (prefix === 'cloud' || prefix === 'login' || prefix === 'setup' || prefix === 'cluster')) {
    return { type: prefix, name };
  }
  if (parts.length === 3 && prefix === 'cluster' && kind) return { type: 'kind', name, kind };
  return undefined;
}

/**
 * ConfigParser's view of each section (`[DEFAULT]` keys first, then the section's own keys,
 * every value interpolated), grouped by section type as ElastiCluster's loader does.
 */
export function resolveSections(document: ConfigDocument, options: ResolveOptions, diagnostics: Diagnostics): SectionGroups {
  const groups: SectionGroups = { clouds: new Map(), logins: new Map(), setups: new Map(), clusters: new Map(), kindSections: new Map() };
  for (const [header, own] of document.sections) {
    const firstFile = [...own.values()][0]?.file ?? '';
    if (own.size === 0) {
      diagnostics.warn({ section: header }, 'section has no keys and is ignored');
      continue;
    }
    const visible = new Map<string, ConfigEntry>();
    for (const [key, entry] of document.defaults) visible.set(key, { ...entry, fromDefault: true });
    for (const [key, entry] of own) visible.set(key, entry);
    const entries = new Map<string, ResolvedEntry>();
    for (const [key, entry] of visible) {
      const value = resolveValue(key, entry, header, visible, options, diagnostics);
      entries.set(key, { value, file: entry.file, line: entry.line, fromDefault: entry.fromDefault ?? false });
    }
    if (header === 'storage') {
      diagnostics.warn(
        { file: firstFile, section: header },
        'is not read (ElastiCluster ignores it too): choose the storage with the CLI option -s or ELASTIQ_REDIS_URL',
      );
      continue;
    }
    const typed = sectionType(header);
    if (!typed) {
      diagnostics.warn(
        { file: firstFile, section: header },
        'is not a known section type and is ignored: use [cloud/NAME], [login/NAME], [setup/NAME], [cluster/NAME] or [cluster/NAME/KIND]',
      );
      continue;
    }
    const section = new ResolvedSection(header, typed.type, typed.name, entries, firstFile, typed.kind);
    if (typed.type === 'kind') {
      const list = groups.kindSections.get(typed.name) ?? [];
      list.push(section);
      groups.kindSections.set(typed.name, list);
    } else {
      const byType = { cloud: groups.clouds, login: groups.logins, setup: groups.setups, cluster: groups.clusters }[typed.type];
      byType.set(typed.name, section);
    }
  }
  return groups;
}
