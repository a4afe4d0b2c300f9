import type { Diagnostics } from './diagnostics';
import type { SectionGroups } from './resolve-sections';
import type { ResolvedSection } from './resolved-section';

// Old spellings ElastiCluster still accepts (notes §1.12), renamed here with a warning.

const KEY_RENAMES: Record<'cloud' | 'setup' | 'cluster', Array<[string, string]>> = {
  cloud: [
    ['tenant_name', 'project_name'],
    ['nova_api_version', 'compute_api_version'],
  ],
  setup: [
    ['ssh_pipelining', 'ansible_ssh_pipelining'],
    ['ansible_module_dir', 'ansible_library'],
  ],
  cluster: [['setup_provider', 'setup']],
};

export const GROUP_RENAMES: Record<string, string> = {
  condor_workers: 'condor_worker',
  gluster_client: 'glusterfs_client',
  gluster_data: 'glusterfs_server',
  gridengine_clients: 'gridengine_worker',
  maui_master: 'torque_master',
  pbs_clients: 'torque_worker',
  pbs_master: 'torque_master',
  slurm_clients: 'slurm_worker',
  slurm_workers: 'slurm_worker',
};

function renameKey(section: ResolvedSection, oldKey: string, newKey: string, diagnostics: Diagnostics): void {
  if (!section.has(oldKey)) return;
  const location = section.locate(oldKey);
  if (section.has(newKey)) {
    diagnostics.warn(location, `is the old name of '${newKey}', which is also set: '${oldKey}' is ignored; remove it`);
  } else {
    diagnostics.warn(location, `is deprecated: rename it to '${newKey}'`);
  }
  section.rename(oldKey, newKey);
}

/**
 * `<kind>_min_nodes` is the legacy spelling of `<kind>_nodes_min`. ElastiCluster means to rename
 * it but crashes on it ([BUG], #279); elastiq renames it. This must run before kinds are found
 * from `*_nodes` keys, or `compute_min_nodes` would define a kind `compute_min`.
 */
function renameLegacyMinimums(section: ResolvedSection, diagnostics: Diagnostics): void {
  for (const key of section.keys()) {
    const match = /^(.+)_min_nodes$/.exec(key);
    if (match) renameKey(section, key, `${match[1]}_nodes_min`, diagnostics);
  }
}

export function applyKeyRenames(groups: SectionGroups, diagnostics: Diagnostics): void {
  for (const section of groups.clouds.values()) {
    for (const [from, to] of KEY_RENAMES.cloud) renameKey(section, from, to, diagnostics);
  }
  for (const section of groups.setups.values()) {
    for (const [from, to] of KEY_RENAMES.setup) renameKey(section, from, to, diagnostics);
  }
  for (const section of groups.clusters.values()) {
    for (const [from, to] of KEY_RENAMES.cluster) renameKey(section, from, to, diagnostics);
    renameLegacyMinimums(section, diagnostics);
  }
}

/** Old group names are renamed; duplicates are kept, as ElastiCluster keeps them. */
export function renameGroups(groups: string[], section: ResolvedSection, key: string, diagnostics: Diagnostics): string[] {
  return groups.map((group) => {
    const renamed = GROUP_RENAMES[group];
    if (renamed === undefined) return group;
    diagnostics.warn(section.locate(key), `group '${group}' is deprecated: use '${renamed}'`);
    return renamed;
  });
}
