import type { ClusterDict, NodeDict } from '@elastiq/core';
import { buildInventory } from './ansible-inventory';

/** `<kind>_groups` of the setup section, when the template put them in the node's extra; else the kind. */
export function nodeGroups(node: NodeDict): string[] {
  const groups = node.extra.groups;
  if (Array.isArray(groups)) return groups.map(String);
  if (typeof groups === 'string') return groups.split(',').map((group) => group.trim()).filter(Boolean);
  return [node.kind];
}

/**
 * The hosts and groups of a cluster as an Ansible inventory (what `elastiq export` ships): one
 * line per node with an address and group. Host variables and `ansible_*` options stay in the
 * record; a setup run writes them.
 */
export function hostsInventory(record: ClusterDict): string {
  const nodes = Object.values(record.nodes).flat();
  const groups: Record<string, string[]> = {};
  for (const node of nodes) groups[node.kind] = nodeGroups(node);
  return buildInventory({
    nodes: nodes.map((node) => ({ name: node.name, kind: node.kind, host: node.preferredIp ?? '', port: node.sshPort, imageUser: node.imageUser, vars: {} })),
    groups,
    ansibleOptions: {},
  }).text;
}
