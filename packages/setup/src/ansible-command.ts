import { shellQuote } from './shell-quote';

export interface AnsibleArgvInput {
  /** `ansible_command` split into words: the program and its own arguments. */
  ansibleCommand: readonly string[];
  privateKeyPath: string;
  /** Already resolved with realpath, as ElastiCluster does. */
  playbookPath: string;
  inventoryPath: string;
  become: boolean;
  becomeUser: string;
  /** `ansible_extra_args` of the config, already split into words. */
  configExtraArgs: readonly string[];
  /** Extra arguments of this run (CLI `elastiq setup -- ...`). */
  runExtraArgs: readonly string[];
  extraVarsPath: string;
  /** Hosts to run on again after a failure; undefined = the whole inventory. */
  limit?: readonly string[];
}

/** ElastiCluster's argv (elasticluster-notes §4.4 step 3), plus `--limit` for retries. */
export function buildAnsibleArgv(input: AnsibleArgvInput): string[] {
  const argv = [
    ...input.ansibleCommand,
    `--private-key=${input.privateKeyPath}`,
    input.playbookPath,
    `--inventory=${input.inventoryPath}`,
  ];
  if (input.become) argv.push('--become', `--become-user=${input.becomeUser}`);
  argv.push(...input.configExtraArgs, ...input.runExtraArgs, '-e', `@${input.extraVarsPath}`);
  if (input.limit !== undefined) argv.push(`--limit=${input.limit.join(',')}`);
  return argv;
}

/** Ansible's own default for ssh_args, kept when the config does not set `ansible_ssh_args`. */
export const DEFAULT_ANSIBLE_SSH_ARGS = '-C -o ControlMaster=auto -o ControlPersist=60s';

/**
 * The ssh arguments every Ansible connection gets: the pinned known_hosts with strict checking
 * first, then the configured (or Ansible's default) ones, then ElastiCluster's ProxyCommand
 * (unexpanded: ssh expands %h %p %r itself). ssh keeps the first value it sees for an option, so
 * nothing later on the command line (ssh_args, ssh_common_args, ssh_extra_args) can turn host key
 * checking off.
 */
export function buildSshArgs(options: { configured?: string; knownHostsPath: string; proxyCommand?: string }): string {
  const parts = [
    `-o UserKnownHostsFile=${shellQuote(options.knownHostsPath)}`,
    '-o StrictHostKeyChecking=yes',
    options.configured ?? DEFAULT_ANSIBLE_SSH_ARGS,
  ];
  if (options.proxyCommand) parts.push(`-o ProxyCommand=${shellQuote(options.proxyCommand)}`);
  return parts.join(' ');
}

export interface AnsibleEnvInput {
  forks: number;
  /** Roles directories that exist (ElastiCluster adds the playbook's dir and roles/ if present). */
  rolesPath: readonly string[];
  ansibleOptions: Readonly<Record<string, string>>;
  /** The environment elastiq runs in: a user's own ANSIBLE_* settings win over the config. */
  inherited: Readonly<Record<string, string | undefined>>;
  /** The provider's `env` option. */
  extra?: Readonly<Record<string, string>>;
  knownHostsPath: string;
  proxyCommand?: string;
  /** Where ssh keeps ControlPersist sockets, so elastiq can close them after the run. */
  controlPathDir: string;
}

/**
 * ElastiCluster's layering (elasticluster-notes §4.4 step 4): defaults → `ansible_*` options →
 * inherited environment → the provider's env → forced. Differences, on purpose: host key checking
 * is forced ON against the pinned keys, ANY_ERRORS_FATAL is not forced (one bad host must not
 * stop the others), and the stdout callback is forced to JSONL, the machine-readable result
 * per-node outcomes are read from.
 */
export function buildAnsibleEnv(input: AnsibleEnvInput): Record<string, string> {
  const env: Record<string, string> = {
    ANSIBLE_FORKS: String(input.forks),
    ANSIBLE_RETRY_FILES_ENABLED: 'no',
    ANSIBLE_ROLES_PATH: input.rolesPath.join(':'),
    ANSIBLE_PIPELINING: 'yes',
    ANSIBLE_SSH_PIPELINING: 'yes',
    ANSIBLE_TIMEOUT: '120',
  };
  for (const [key, value] of Object.entries(input.ansibleOptions)) env[key.toUpperCase()] = value;
  for (const [key, value] of Object.entries(input.inherited)) if (value !== undefined) env[key] = value;
  for (const [key, value] of Object.entries(input.extra ?? {})) env[key] = value;
  const sshArgs = buildSshArgs({
    configured: env.ANSIBLE_SSH_ARGS,
    knownHostsPath: input.knownHostsPath,
    proxyCommand: input.proxyCommand,
  });
  return {
    ...env,
    ANSIBLE_HOST_KEY_CHECKING: 'True',
    ANSIBLE_SSH_ARGS: sshArgs,
    ANSIBLE_SSH_CONTROL_PATH_DIR: input.controlPathDir,
    ANSIBLE_STDOUT_CALLBACK: 'ansible.posix.jsonl',
    ANSIBLE_NOCOLOR: 'True',
    ANSIBLE_FORCE_COLOR: 'False',
  };
}

/** forks = min(cluster size, 50) unless configured: enough to run every node at once, bounded. */
export function defaultForks(hostCount: number): number {
  return Math.max(1, Math.min(hostCount, 50));
}
