export * from './contracts';
export { ansiblePlaybookOnPath, checkAnsibleSettings, createAnsibleProvider } from './ansible-provider';
export { AnsibleProviderOptionsSchema, type AnsibleProviderOptionsInput, type AnsibleProviderOptions } from './ansible-options';
export { buildInventory, type Inventory, type InventoryInput } from './ansible-inventory';
export { buildAnsibleArgv, buildAnsibleEnv, buildSshArgs, defaultForks } from './ansible-command';
export { buildExtraVarsYaml } from './ansible-extra-vars';
export { pythonStringRepr, toPythonLiteral } from './python-literal';
export { createScriptProvider } from './script-provider';
export { ScriptProviderOptionsSchema, type ScriptProviderOptionsInput, type ScriptProviderOptions } from './script-options';
