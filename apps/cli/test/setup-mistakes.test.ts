import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { generateSshKeyPair, makeTempDir, type TempDir } from '@elastiq/testing';
import { runCli } from './support/run-cli';

// A bad setup section is one error at `elastiq start`, before anything is launched: no Redis
// runs at the URL these runs get, so an error found any later would be a connection error.

describe('elastiq start with a bad setup section', () => {
  let dir: TempDir;
  let keyPath: string;

  beforeAll(async () => {
    dir = await makeTempDir('cli-setup-mistakes');
    keyPath = (await generateSshKeyPair(dir.path)).privateKeyPath;
    await writeFile(join(dir.path, 'site.yml'), '- hosts: all\n  tasks: []\n');
  });
  afterAll(() => dir.cleanup());

  async function startWithSetup(setupLines: string[], extraArgs: string[] = []) {
    const configPath = join(dir.path, 'config');
    await writeFile(
      configPath,
      [
        '[cloud/sim]',
        'provider=ec2_boto',
        'ec2_url=http://127.0.0.1:4566',
        'ec2_region=us-east-1',
        '[login/sim]',
        'image_user=elastiq',
        'user_key_name=k',
        `user_key_private=${keyPath}`,
        `user_key_public=${keyPath}.pub`,
        '[setup/s]',
        ...setupLines,
        '[cluster/c]',
        'cloud=sim',
        'login=sim',
        'setup=s',
        'image_id=ami-sim',
        'flavor=t3.micro',
        'compute_nodes=1',
        '',
      ].join('\n'),
    );
    return runCli(['-c', configPath, 'start', 'c', ...extraArgs], { HOME: dir.path, ELASTIQ_REDIS_URL: 'redis://127.0.0.1:1' });
  }

  function expectOneConfigError(result: { code: number; stderr: string }, ...parts: string[]): void {
    expect(result.code).toBe(78);
    expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
    for (const part of parts) expect(result.stderr).toContain(part);
    expect(result.stderr).not.toContain('Redis');
  }

  it('a playbook that does not exist: names the key and the path', async () => {
    const result = await startWithSetup([`playbook_path=${join(dir.path, 'missing.yml')}`, 'compute_groups=compute']);
    expectOneConfigError(result, 'playbook_path must name a readable playbook', 'missing.yml');
  });

  it('a <kind>_var_ whose name is not an Ansible variable: names section and key', async () => {
    const result = await startWithSetup([`playbook_path=${join(dir.path, 'site.yml')}`, 'compute_groups=compute', 'compute_var_not-a-name=1']);
    expectOneConfigError(result, '[setup/s] compute_var_not-a-name: `not-a-name` is not a valid Ansible variable name');
  });

  it('a group name Ansible cannot use: names the <kind>_groups key', async () => {
    const result = await startWithSetup([`playbook_path=${join(dir.path, 'site.yml')}`, 'compute_groups=compute,9lives']);
    expectOneConfigError(result, '[setup/s] compute_groups: `9lives` is not a valid Ansible group name');
  });

  it('ansible_extra_args with an unterminated quote: names the key', async () => {
    const result = await startWithSetup([`playbook_path=${join(dir.path, 'site.yml')}`, 'compute_groups=compute', `ansible_extra_args=-e 'x=1`]);
    expectOneConfigError(result, '[setup/s] ansible_extra_args', 'unterminated quote');
  });

  it('an ansible_command that is not on PATH: names the key', async () => {
    const result = await startWithSetup([`playbook_path=${join(dir.path, 'site.yml')}`, 'compute_groups=compute', 'ansible_command=no-such-ansible-playbook']);
    expectOneConfigError(result, 'ansible_command must start with an executable program');
  });

  it('--no-setup does not check the setup section it will not run', async () => {
    const result = await startWithSetup([`playbook_path=${join(dir.path, 'site.yml')}`, 'compute_groups=compute', 'compute_var_not-a-name=1'], ['--no-setup']);
    expect(result.stderr).toMatch(/^error: cannot reach Redis at redis:\/\/127\.0\.0\.1:1/);
  });
});
