import { ConfigurationError } from '@elastiq/core';
import { z } from 'zod';
import { isValidAnsibleVariableName } from './ansible-names';
import { type ConfigOrigin, originOf, readConfigOrigin, toConfigurationError } from './option-errors';
import { splitShellWords } from './split-shell-words';

// Keys elastiq must own for its guarantees: host keys are pinned by the fleet and checked, and
// per-node results are read from the JSONL stdout callback.
const FORBIDDEN_ANSIBLE_OPTIONS: Record<string, string> = {
  ansible_host_key_checking: 'elastiq pins every node host key and always checks it; remove this key',
  ansible_stdout_callback: 'elastiq reads per-node results from the ansible.posix.jsonl callback; remove this key',
};

// ElastiCluster's renames (elasticluster-notes §1.8).
const RENAMED_ANSIBLE_OPTIONS: Record<string, string> = {
  ssh_pipelining: 'ansible_ssh_pipelining',
  ansible_module_dir: 'ansible_library',
};

export const AnsibleProviderOptionsSchema = z.object({
  playbookPath: z.string().min(1, 'is empty: give the path of the playbook to run'),
  /** The program, optionally with arguments (split like a shell; ElastiCluster's docs allow it). */
  ansibleCommand: z.string().min(1).refine(isSplittable, 'has an unterminated quote').default('ansible-playbook'),
  /** `ansible_extra_args`: a command-line string (split like a shell) or the words already split. */
  extraArgs: z
    .union([z.string().refine(isSplittable, 'has an unterminated quote'), z.array(z.string())])
    .transform((value) => (typeof value === 'string' ? splitShellWords(value) : value))
    .default([]),
  /** `ansible_*` keys of the setup section: exported as ANSIBLE_* and written as host variables. */
  ansibleOptions: z.record(z.string(), z.string()).default({}),
  become: z.boolean().default(false),
  becomeUser: z.string().min(1).default('root'),
  /** How many times failed or unreachable hosts are run again, alone. */
  retries: z.number().int().min(0).max(20).default(2),
  forks: z.number().int().positive().optional(),
  /** Extra environment for ansible-playbook, layered over the inherited one. */
  env: z.record(z.string(), z.string()).optional(),
  /**
   * kind → variables of `<kind>_var_<name>` (and `global` → `global_var_<name>`), as written in
   * the config: only checked here, the values reach hosts through each SetupNode's vars.
   */
  kindVars: z.record(z.string(), z.record(z.string(), z.string())).default({}),
  configFile: z.string().optional(),
  configSection: z.string().optional(),
});

function isSplittable(line: string): boolean {
  try {
    splitShellWords(line);
    return true;
  } catch {
    return false;
  }
}

export type AnsibleProviderOptionsInput = z.input<typeof AnsibleProviderOptionsSchema>;
export type AnsibleProviderOptions = z.output<typeof AnsibleProviderOptionsSchema>;

const CONFIG_KEY_OF_OPTION: Record<string, string> = {
  playbookPath: 'playbook_path',
  ansibleCommand: 'ansible_command',
  extraArgs: 'ansible_extra_args',
  become: 'image_sudo',
  becomeUser: 'image_user_sudo',
  retries: 'retries',
  forks: 'ansible_forks',
};

function configKeyOf(path: readonly PropertyKey[]): string {
  const [head, second] = path.map(String);
  if ((head === 'ansibleOptions' || head === 'env') && second !== undefined) return second;
  return CONFIG_KEY_OF_OPTION[head ?? ''] ?? head ?? 'setup';
}

/** Parses the options and applies ElastiCluster's renames; throws ConfigurationError naming the key. */
export function parseAnsibleProviderOptions(input: unknown): AnsibleProviderOptions {
  const parsed = AnsibleProviderOptionsSchema.safeParse(input);
  const origin: ConfigOrigin = readConfigOrigin(input);
  if (!parsed.success) throw toConfigurationError(parsed.error, origin, configKeyOf);
  const options = parsed.data;
  const ansibleOptions: Record<string, string> = {};
  for (const [rawKey, value] of Object.entries(options.ansibleOptions)) {
    const key = RENAMED_ANSIBLE_OPTIONS[rawKey] ?? rawKey;
    const problem = FORBIDDEN_ANSIBLE_OPTIONS[key];
    if (problem !== undefined) throw new ConfigurationError(problem, { ...originOf(origin), key: rawKey });
    if (!key.startsWith('ansible_') || !isValidAnsibleVariableName(key)) {
      throw new ConfigurationError('is not an `ansible_<name>` option Ansible can read', {
        ...originOf(origin),
        key: rawKey,
        hint: 'setup options passed to Ansible are named `ansible_` followed by letters, digits or `_`',
      });
    }
    ansibleOptions[key] = value;
  }
  return { ...options, ansibleOptions };
}
