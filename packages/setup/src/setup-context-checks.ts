import { ConfigurationError } from '@elastiq/core';
import { isValidAnsibleGroupName, isValidAnsibleVariableName, isValidInventoryHostName } from './ansible-names';
import type { SetupContext } from './contracts';
import { type ConfigOrigin, originOf } from './option-errors';

// Host variables that would undo what elastiq guarantees about the connection (pinned host keys).
const HOST_VARS_OWNED_BY_ELASTIQ = new Set([
  'ansible_host_key_checking',
  'ansible_ssh_host_key_checking',
  'ansible_ssh_args',
]);

/** `<kind>_var_<name>` / `global_var_<name>` names, checked before anything runs. */
export function checkKindVariableNames(kindVars: Record<string, Record<string, string>>, origin: ConfigOrigin): void {
  for (const [kind, vars] of Object.entries(kindVars)) {
    for (const name of Object.keys(vars)) {
      if (!isValidAnsibleVariableName(name)) {
        throw new ConfigurationError(`\`${name}\` is not a valid Ansible variable name`, {
          ...originOf(origin),
          key: `${kind}_var_${name}`,
          hint: 'a variable name (also in `global_var_<name>`) starts with a letter or `_`, has only letters, digits and `_`, and is not a Python keyword',
        });
      }
      if (HOST_VARS_OWNED_BY_ELASTIQ.has(name)) {
        throw new ConfigurationError(`\`${name}\` cannot be set per kind: elastiq sets it to check pinned host keys`, {
          ...originOf(origin),
          key: `${kind}_var_${name}`,
          hint: 'extra ssh options go into `ansible_ssh_common_args` or `ansible_ssh_extra_args`',
        });
      }
    }
  }
}

/** `<kind>_groups` values must be writable as inventory group headers. */
export function checkGroupNames(groupsByKind: Record<string, string[]>, origin: ConfigOrigin): void {
  for (const [kind, groups] of Object.entries(groupsByKind)) {
    for (const group of groups) {
      if (!isValidAnsibleGroupName(group)) {
        throw new ConfigurationError(`\`${group}\` is not a valid Ansible group name`, {
          ...originOf(origin),
          key: `${kind}_groups`,
          hint: 'group names start with a letter or `_` and have only letters, digits, `_` and `-`',
        });
      }
    }
  }
}

/** What the fleet hands over must be writable as an inventory; a bad name is a config mistake. */
export function checkSetupContext(context: SetupContext, origin: ConfigOrigin): void {
  checkGroupNames(context.groups, origin);
  const varsByKind: Record<string, Record<string, string>> = {};
  for (const node of context.nodes) {
    if (!isValidInventoryHostName(node.name)) {
      throw new ConfigurationError(`node name \`${node.name}\` cannot be written into an Ansible inventory`, {
        ...originOf(origin),
      });
    }
    const names = varsByKind[node.kind] ?? {};
    for (const name of Object.keys(node.vars)) names[name] = '';
    varsByKind[node.kind] = names;
  }
  checkKindVariableNames(varsByKind, origin);
}
