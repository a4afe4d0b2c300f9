import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ConfigurationError } from '@elastiq/core';
import { makeTempDir, type TempDir } from '@elastiq/testing';
import { createAnsibleProvider, createScriptProvider, type SetupContext } from '../src';

// A bad setup configuration is one clear error, naming the key, before anything runs.

let dir: TempDir;
let playbook: string;

beforeEach(async () => {
  dir = await makeTempDir('setup-config-errors');
  playbook = join(dir.path, 'site.yml');
  await writeFile(playbook, '- hosts: all\n  tasks: []\n');
});

afterEach(() => dir.cleanup());

async function configurationErrorOf(promise: Promise<unknown>): Promise<ConfigurationError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!(error instanceof ConfigurationError)) throw new Error(`expected a ConfigurationError, got ${String(error)}`);
  return error;
}

function context(overrides: Partial<SetupContext> = {}): SetupContext {
  return {
    clusterName: 'c',
    nodes: [{ name: 'compute001', kind: 'compute', host: '127.0.0.1', port: 22, imageUser: 'elastiq', vars: {} }],
    groups: { compute: ['compute'] },
    clusterVars: {},
    privateKeyPath: join(dir.path, 'id_ed25519'),
    knownHostsPath: join(dir.path, 'known_hosts'),
    workDir: join(dir.path, 'work'),
    extraArgs: [],
    ...overrides,
  };
}

async function filesIn(path: string): Promise<string[]> {
  return readdir(path).catch(() => []);
}

describe('Ansible provider configuration errors', () => {
  it('names playbook_path when the playbook is missing, and runs nothing', async () => {
    const provider = createAnsibleProvider({ playbookPath: join(dir.path, 'nope.yml'), configSection: 'setup/demo' });
    const error = await configurationErrorOf(provider.checkPrerequisites());
    expect(error.key).toBe('playbook_path');
    expect(error.message).toBe(`[setup/demo] playbook_path: playbook \`${join(dir.path, 'nope.yml')}\` does not exist or is not a readable file`);
    await configurationErrorOf(provider.run(context()));
    expect(await filesIn(join(dir.path, 'work'))).toEqual([]);
  });

  it('names ansible_command when ansible-playbook is not on PATH', async () => {
    const provider = createAnsibleProvider({ playbookPath: playbook, env: { PATH: dir.path } });
    const error = await configurationErrorOf(provider.checkPrerequisites());
    expect(error.key).toBe('ansible_command');
    expect(error.toUserLine()).toBe(
      'ansible_command: `ansible-playbook` is not an executable file nor found on PATH (install Ansible (e.g. `apt-get install ansible`) or give the full path of ansible-playbook)',
    );
  });

  it('names ansible_command when the given file is not executable', async () => {
    const provider = createAnsibleProvider({ playbookPath: playbook, ansibleCommand: `${playbook} -v` });
    expect((await configurationErrorOf(provider.checkPrerequisites())).key).toBe('ansible_command');
  });

  it('names the <kind>_var_ key whose variable name Ansible would reject', async () => {
    const provider = createAnsibleProvider({ playbookPath: playbook, kindVars: { compute: { 'slurm-version': '23' } } });
    const error = await configurationErrorOf(provider.checkPrerequisites());
    expect(error.key).toBe('compute_var_slurm-version');
    expect(error.problem).toBe('`slurm-version` is not a valid Ansible variable name');
  });

  it('names the <kind>_groups key with a group name the inventory cannot hold, before writing anything', async () => {
    const provider = createAnsibleProvider({ playbookPath: playbook });
    const error = await configurationErrorOf(provider.run(context({ groups: { compute: ['slurm worker'] } })));
    expect(error.key).toBe('compute_groups');
    expect(await filesIn(join(dir.path, 'work'))).toEqual([]);
  });

  it('refuses a node variable that would turn host key checking off', async () => {
    const provider = createAnsibleProvider({ playbookPath: playbook });
    const nodes = [{ name: 'compute001', kind: 'compute', host: '127.0.0.1', port: 22, imageUser: 'elastiq', vars: { ansible_host_key_checking: false } }];
    expect((await configurationErrorOf(provider.run(context({ nodes })))).key).toBe('compute_var_ansible_host_key_checking');
  });
});

describe('script provider configuration errors', () => {
  it('names script_path when no script is configured', async () => {
    const error = await configurationErrorOf(createScriptProvider({}).checkPrerequisites());
    expect(error.key).toBe('script_path');
  });

  it('names the <kind>_script_path whose file is missing', async () => {
    const provider = createScriptProvider({ scriptPath: playbook, kindScriptPaths: { compute: join(dir.path, 'missing.sh') } });
    const error = await configurationErrorOf(provider.checkPrerequisites());
    expect(error.key).toBe('compute_script_path');
  });

  it('names script_concurrency when it is not a positive number', () => {
    expect(() => createScriptProvider({ scriptPath: playbook, concurrency: 0 })).toThrow(
      expect.objectContaining({ key: 'script_concurrency' }),
    );
  });
});
