import type { ResolvedSection } from './resolved-section';

/**
 * Host variables per kind, as ElastiCluster collects them: scan the setup section, then the
 * cluster section; `<kind>_var_<name>` and `global_var_<name>` set `<name>`, and for the same
 * name the later key of that scan wins, whichever prefix it has. Global variables apply to
 * kinds that have a `<kind>_groups` key (every kind with the script provider).
 * Unlike ElastiCluster, only the leading `<kind>_var_` is removed from the key (it removes every
 * occurrence, so `compute_var_my_compute_var` would become `my_`).
 */
export function collectKindVariables(
  kinds: string[],
  setup: ResolvedSection,
  cluster: ResolvedSection,
  kindsWithGroups: (kind: string) => boolean,
): Record<string, Record<string, string>> {
  const vars: Record<string, Record<string, string>> = {};
  for (const kind of kinds) {
    const collected: Record<string, string> = {};
    const kindPrefix = `${kind}_var_`;
    for (const section of [setup, cluster]) {
      for (const [key, entry] of section.entries) {
        if (key.startsWith(kindPrefix)) collected[key.slice(kindPrefix.length)] = entry.value;
        else if (key.startsWith('global_var_') && kindsWithGroups(kind)) collected[key.slice('global_var_'.length)] = entry.value;
      }
    }
    vars[kind] = collected;
  }
  return vars;
}
