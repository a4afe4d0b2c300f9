import type { SetupNode } from './contracts';
import { pythonStringRepr, toPythonLiteral } from './python-literal';

export interface InventoryInput {
  nodes: readonly SetupNode[];
  /** kind → groups, from `<kind>_groups`. */
  groups: Readonly<Record<string, readonly string[]>>;
  /** `ansible_*` setup options, written on every host line as ElastiCluster does. */
  ansibleOptions: Readonly<Record<string, string>>;
}

export interface Inventory {
  /** The INI text of `<cluster>.inventory`. */
  text: string;
  /** Nodes that have at least one line, in node order. */
  hosts: string[];
  /** Nodes left out, with why (no address, or their kind has no groups). */
  leftOut: Record<string, { status: 'failed' | 'skipped'; reason: string }>;
}

/**
 * ElastiCluster's inventory (elasticluster-notes §4.4): one block per group in order of first use,
 * each starting with a blank line; one line per node and group:
 * `<node> ansible_host=<ip> ansible_user=<user> [ansible_port=<p>] <ansible_* options> <node vars>`.
 * Later keys on a line win in Ansible, so a node variable overrides a setup option of the same name.
 * ElastiCluster's `ansible_python_interpreter=...+eatmydata` default is not written: eatmydata is
 * not on most images and Ansible's interpreter discovery does better than a fixed /usr/bin/python.
 */
export function buildInventory({ nodes, groups, ansibleOptions }: InventoryInput): Inventory {
  const linesByGroup = new Map<string, string[]>();
  const hosts: string[] = [];
  const leftOut: Inventory['leftOut'] = {};
  for (const node of nodes) {
    const nodeGroups = groups[node.kind] ?? [];
    if (node.host === '') {
      leftOut[node.name] = { status: 'failed', reason: 'node has no IP address' };
      continue;
    }
    if (nodeGroups.length === 0) {
      leftOut[node.name] = { status: 'skipped', reason: `kind \`${node.kind}\` has no Ansible groups` };
      continue;
    }
    const line = inventoryLine(node, ansibleOptions);
    for (const group of nodeGroups) {
      const lines = linesByGroup.get(group) ?? [];
      lines.push(line);
      linesByGroup.set(group, lines);
    }
    hosts.push(node.name);
  }
  let text = '';
  for (const [group, lines] of linesByGroup) text += `\n[${group}]\n${lines.join('\n')}\n`;
  return { text, hosts, leftOut };
}

function inventoryLine(node: SetupNode, ansibleOptions: Readonly<Record<string, string>>): string {
  const parts = [node.name, `ansible_host=${node.host}`, `ansible_user=${node.imageUser}`];
  if (node.port !== 22) parts.push(`ansible_port=${node.port}`);
  for (const [key, value] of Object.entries(ansibleOptions)) parts.push(`${key}=${pythonStringRepr(value)}`);
  for (const [key, value] of Object.entries(node.vars)) parts.push(`${key}=${inventoryValue(value)}`);
  return parts.join(' ');
}

/**
 * Ansible splits the line like a POSIX shell, then `literal_eval`s each value. A string is
 * written as its Python repr (ElastiCluster's format); any other value as the repr of its Python
 * literal, so that after the shell-style split the literal is left and keeps its type.
 */
function inventoryValue(value: unknown): string {
  return typeof value === 'string' ? pythonStringRepr(value) : pythonStringRepr(toPythonLiteral(value));
}
