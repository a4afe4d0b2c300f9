import { mkdir, realpath, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { ConfigurationError } from '@elastiq/core';
import { existingDirs } from './existing-dirs';
import { buildAnsibleArgv, buildAnsibleEnv, defaultForks } from './ansible-command';
import { buildExtraVarsYaml } from './ansible-extra-vars';
import { buildInventory } from './ansible-inventory';
import { type AnsibleProviderOptions, type AnsibleProviderOptionsInput, parseAnsibleProviderOptions } from './ansible-options';
import { type PlaybookRunResult, runPlaybook } from './ansible-playbook-run';
import type { NodeSetupResult, SetupContext, SetupOutcome, SetupProvider, SetupRunOptions } from './contracts';
import { findExecutable, isReadableFile } from './find-executable';
import { originOf } from './option-errors';
import { checkGroupNames, checkKindVariableNames, checkSetupContext } from './setup-context-checks';
import { splitShellWords } from './split-shell-words';
import { closeSshControlMasters } from './ssh-control-masters';

/** ElastiCluster's `provider=ansible`, with per-host results and retries of the hosts that failed. */
export function createAnsibleProvider(input: AnsibleProviderOptionsInput): SetupProvider {
  const options = parseAnsibleProviderOptions(input);
  return {
    name: 'ansible',
    checkPrerequisites: () => checkAnsiblePrerequisites(options),
    run: async (context, runOptions) => {
      await checkAnsiblePrerequisites(options);
      checkSetupContext(context, options);
      return runAnsibleSetup(options, context, runOptions ?? {});
    },
  };
}

/**
 * The checks of an Ansible setup section that hold on any machine: option syntax, variable and
 * group names. The CLI runs them at `elastiq start`, so such a mistake is one error before
 * anything is launched; files and ansible-playbook are checked where the setup runs (a worker).
 */
export function checkAnsibleSettings(input: AnsibleProviderOptionsInput, groupsByKind: Record<string, string[]>): void {
  const options = parseAnsibleProviderOptions(input);
  checkKindVariableNames(options.kindVars, options);
  checkGroupNames(groupsByKind, options);
}

/**
 * Whether this machine has the Ansible provider's tool: `ansible-playbook` on PATH. A worker
 * without it does not take setup jobs, so they wait for one that can run them.
 */
export async function ansiblePlaybookOnPath(): Promise<boolean> {
  return (await findExecutable('ansible-playbook', process.env.PATH ?? '')) !== undefined;
}

async function checkAnsiblePrerequisites(options: AnsibleProviderOptions): Promise<void> {
  const where = originOf(options);
  if (!(await isReadableFile(options.playbookPath))) {
    throw new ConfigurationError(`playbook \`${options.playbookPath}\` does not exist or is not a readable file`, {
      ...where,
      key: 'playbook_path',
      hint: 'give the path of an existing playbook (a relative path is taken from the current directory)',
    });
  }
  const searchPath = options.env?.PATH ?? process.env.PATH ?? '';
  const [program = ''] = splitShellWords(options.ansibleCommand);
  if ((await findExecutable(program, searchPath)) === undefined) {
    throw new ConfigurationError(`\`${program}\` is not an executable file nor found on PATH`, {
      ...where,
      key: 'ansible_command',
      hint: 'install Ansible (e.g. `apt-get install ansible`) or give the full path of ansible-playbook',
    });
  }
  checkKindVariableNames(options.kindVars, options);
}

async function runAnsibleSetup(
  options: AnsibleProviderOptions,
  context: SetupContext,
  { onLog = () => {}, onNodeResult = () => {}, signal }: SetupRunOptions,
): Promise<SetupOutcome> {
  const results: Record<string, NodeSetupResult> = {};
  const settle = (node: string, result: NodeSetupResult) => {
    results[node] = result;
    onNodeResult(node, result);
  };

  const controlPathDir = join(context.workDir, 'cp');
  await mkdir(controlPathDir, { recursive: true, mode: 0o700 });
  const playbookPath = await realpath(options.playbookPath);
  const env = buildAnsibleEnv({
    forks: options.forks ?? defaultForks(context.nodes.length),
    rolesPath: [...(await existingDirs([join(dirname(playbookPath), 'roles'), dirname(playbookPath)])), '/etc/ansible/roles'],
    ansibleOptions: options.ansibleOptions,
    inherited: process.env,
    extra: options.env,
    knownHostsPath: context.knownHostsPath,
    proxyCommand: context.sshProxyCommand,
    controlPathDir,
  });
  // A configured `ansible_ssh_args` host variable would override ANSIBLE_SSH_ARGS: give it the
  // same value, which has the pinned known_hosts in front.
  const hostAnsibleOptions = { ...options.ansibleOptions };
  if (hostAnsibleOptions.ansible_ssh_args !== undefined) hostAnsibleOptions.ansible_ssh_args = env.ANSIBLE_SSH_ARGS ?? '';

  const inventory = buildInventory({ nodes: context.nodes, groups: context.groups, ansibleOptions: hostAnsibleOptions });
  for (const [node, { status, reason }] of Object.entries(inventory.leftOut)) {
    settle(node, { ok: status === 'skipped', status, reason, attempts: 0 });
  }
  if (inventory.hosts.length === 0) {
    onLog('elastiq: no node can be configured (no address, or no Ansible groups for its kind); ansible-playbook not run');
    return { ok: false, nodes: results };
  }
  const inventoryPath = join(context.workDir, `${context.clusterName}.inventory`);
  const extraVarsPath = join(context.workDir, 'extra_vars.yml');
  await writeFile(inventoryPath, inventory.text, { mode: 0o600 });
  const extraVars = buildExtraVarsYaml({ clusterVars: context.clusterVars, nodes: context.nodes, outputDir: context.workDir });
  await writeFile(extraVarsPath, extraVars, { mode: 0o600 });

  const attempts: Record<string, number> = {};
  let pending = [...inventory.hosts];
  const maxAttempts = options.retries + 1;
  try {
    for (let attempt = 1; attempt <= maxAttempts && pending.length > 0 && !signal?.aborted; attempt += 1) {
      onLog(
        attempt === 1
          ? `elastiq: running ansible-playbook on ${pending.length} host(s)`
          : `elastiq: attempt ${attempt} of ${maxAttempts}: running ansible-playbook again on ${pending.join(', ')}`,
      );
      const argv = buildAnsibleArgv({
        ansibleCommand: splitShellWords(options.ansibleCommand),
        privateKeyPath: context.privateKeyPath,
        playbookPath,
        inventoryPath,
        become: options.become,
        becomeUser: options.becomeUser,
        configExtraArgs: options.extraArgs,
        runExtraArgs: context.extraArgs,
        extraVarsPath,
        limit: attempt === 1 ? undefined : pending,
      });
      const run = await runPlaybook(argv, { cwd: context.workDir, env, onLog, signal });
      const stillFailing: string[] = [];
      for (const host of pending) {
        attempts[host] = (attempts[host] ?? 0) + 1;
        const outcome = hostOutcome(host, run);
        const isLast = attempt === maxAttempts || signal?.aborted === true;
        if (outcome.status === 'ok' || outcome.status === 'skipped' || isLast) {
          settle(host, { ...outcome, ok: outcome.status === 'ok' || outcome.status === 'skipped', attempts: attempts[host] });
        } else {
          onLog(`elastiq: ${host} ${outcome.status}: ${outcome.reason ?? ''}`);
          stillFailing.push(host);
        }
      }
      pending = stillFailing;
    }
  } finally {
    await closeSshControlMasters(controlPathDir);
  }
  for (const host of pending) {
    settle(host, { ok: false, status: 'failed', reason: 'setup aborted', attempts: attempts[host] ?? 0 });
  }
  return { ok: Object.values(results).every((result) => result.ok), nodes: results };
}

type HostOutcome = Pick<NodeSetupResult, 'status' | 'reason'>;

/** A host's result from Ansible's recap, never from the exit code alone. */
export function hostOutcome(host: string, run: PlaybookRunResult): HostOutcome {
  const stats = run.stats?.[host];
  const failure = run.lastFailure[host];
  if (run.stats === undefined) {
    const why = run.stderrTail.at(-1) ?? 'no output';
    const ended = run.signal === null ? `exited with code ${run.exitCode}` : `was killed by ${run.signal}`;
    return { status: 'failed', reason: `ansible-playbook ${ended} before its recap: ${why}` };
  }
  if (stats === undefined) return { status: 'skipped', reason: 'no play of the playbook targets this host' };
  if (stats.unreachable > 0) return { status: 'unreachable', reason: failure ?? 'unreachable' };
  if (stats.failures > 0) return { status: 'failed', reason: failure ?? 'a task failed' };
  return { status: 'ok' };
}
