// Which keys of `[cluster/NAME]` and `[cluster/NAME/KIND]` mean what (notes §1.9, §1.10).

/** Copied from `[cluster/NAME]` into every kind, unless the kind's own section sets them. */
export const INHERITED_KIND_KEYS: readonly string[] = [
  'flavor', 'image_id', 'image_userdata', 'login', 'network_ids', 'security_group', 'node_name',
  'ssh_proxy_command', 'storage_account_type', 'accelerator_count', 'accelerator_type',
  'allow_project_ssh_keys', 'boot_disk_size', 'boot_disk_type', 'min_cpu_platform', 'scheduling', 'tags',
  'floating_network_id', 'request_floating_ip',
  // elastiq extensions (issue 11): where else a kind may be launched when capacity is short,
  // and whether a spot kind (`price` > 0) falls back to on-demand.
  'flavor_alternatives', 'availability_zones', 'spot_fallback',
];

/**
 * Read only from `[cluster/NAME/KIND]`. At cluster level ElastiCluster ignores them without a
 * word ([BUG]: the docs suggest otherwise); elastiq keeps that result but warns.
 */
export const KIND_ONLY_KEYS: readonly string[] = ['image_user', 'price', 'timeout', 'placement_group', 'boot_disk_device', 'boot_disk_iops'];

/** Keys that configure the cluster as a whole. */
export const CLUSTER_ONLY_KEYS: readonly string[] = [
  'cloud', 'login', 'setup', 'ssh_to', 'start_timeout', 'ssh_probe_timeout', 'ssh_proxy_command',
  'thread_pool_max_size', 'availability_zone', 'local_ssd_count', 'local_ssd_interface',
];

export const NODES_KEY = /^(.+)_nodes$/;
export const NODES_MIN_KEY = /^(.+)_nodes_min$/;

export function isVariableKey(key: string): boolean {
  return key.startsWith('global_var_') || key.includes('_var_');
}

export function isKnownClusterKey(key: string): boolean {
  return (
    INHERITED_KIND_KEYS.includes(key) ||
    CLUSTER_ONLY_KEYS.includes(key) ||
    NODES_KEY.test(key) ||
    NODES_MIN_KEY.test(key) ||
    isVariableKey(key)
  );
}

export function isKnownKindKey(key: string): boolean {
  return INHERITED_KIND_KEYS.includes(key) || KIND_ONLY_KEYS.includes(key) || key === 'local_ssd_count' || key === 'local_ssd_interface';
}
