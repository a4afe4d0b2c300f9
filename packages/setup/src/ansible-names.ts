// Ansible accepts a variable only if its name is a Python identifier that is not a keyword
// (ansible.utils.vars.isidentifier). Checking before the run turns Ansible's late, per-host
// error into one configuration error that names the config key.

const PYTHON_KEYWORDS = new Set(
  (
    'False None True and as assert async await break class continue def del elif else except finally for from ' +
    'global if import in is lambda nonlocal not or pass raise return try while with yield'
  ).split(' '),
);

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function isValidAnsibleVariableName(name: string): boolean {
  return IDENTIFIER.test(name) && !PYTHON_KEYWORDS.has(name);
}

// Ansible warns about (and its INI parser breaks on) group names with spaces, brackets or `:`.
// Dashes are kept because ElastiCluster's own playbooks use `nfs-server`.
const GROUP_NAME = /^[A-Za-z_][A-Za-z0-9_-]*$/;

export function isValidAnsibleGroupName(name: string): boolean {
  return GROUP_NAME.test(name) && name !== 'all' && name !== 'ungrouped';
}

/** Host names go unquoted at the start of an inventory line and into `--limit`. */
const HOST_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/;

export function isValidInventoryHostName(name: string): boolean {
  return HOST_NAME.test(name);
}
