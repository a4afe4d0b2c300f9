import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { generateSshKeyPair, makeTempDir, type TempDir } from '@elastiq/testing';
import { runCli } from './support/run-cli';

describe('elastiq list-templates', () => {
  let home: TempDir;
  let demoKey: string;

  beforeAll(async () => {
    home = await makeTempDir('cli-home');
    await mkdir(join(home.path, '.ssh'));
    // examples/slurm-on-ec2.conf and split-config name ~/.ssh/id_rsa, which must exist to load.
    await generateSshKeyPair(join(home.path, '.ssh'), 'rsa');
    demoKey = (await generateSshKeyPair(home.path, 'ed25519')).privateKeyPath;
  });

  afterAll(async () => {
    await home.cleanup();
  });

  it('prints each template of examples/cloud-sim.conf as one JSON object with defaults, inheritance and overrides applied', async () => {
    const result = await runCli(['-c', 'examples/cloud-sim.conf', 'list-templates', '--json'], { ELASTIQ_DEMO_KEY: demoKey, HOME: home.path });

    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(result.stdout)).toEqual([
      {
        name: 'sim-slurm',
        cloud: 'cloud-sim',
        login: 'sim',
        setup: 'sim-slurm',
        kinds: {
          // flavor from [cluster/sim-slurm/frontend], the rest from [cluster/sim-slurm] and [login/sim]
          frontend: { count: 1, min: 1, image_id: 'ami-sim', flavor: 't3.small', image_user: 'elastiq', security_group: 'default', groups: ['slurm_master'] },
          compute: { count: 4, min: 2, image_id: 'ami-sim', flavor: 't3.micro', image_user: 'elastiq', security_group: 'default', groups: ['slurm_worker'] },
        },
      },
    ]);
  });

  it('never prints credentials, even when the configuration holds them', async () => {
    const result = await runCli(['-c', 'examples/cloud-sim.conf', 'list-templates', '--json'], { ELASTIQ_DEMO_KEY: demoKey, HOME: home.path });

    expect(result.stdout).not.toContain('ec2_secret_key');
    // examples/cloud-sim.conf sets ec2_access_key=cloud-sim and ec2_secret_key=cloud-sim: only the
    // cloud *section name* "cloud-sim" may appear, exactly once per template.
    expect(result.stdout.match(/cloud-sim/g)).toHaveLength(1);
  });

  it('prints the ElastiCluster text: the count, then name, cloud and the nodes of each kind', async () => {
    const result = await runCli(['-c', 'examples/cloud-sim.conf', 'list-templates'], { ELASTIQ_DEMO_KEY: demoKey, HOME: home.path });

    expect(result.code).toBe(0);
    expect(result.stdout).toBe(
      ['1 cluster templates found in configuration file.', '', 'name:     sim-slurm', 'cloud:    cloud-sim', 'frontend nodes: 1', 'compute nodes: 4 (at least 2)', ''].join('\n'),
    );
  });

  it('lists every template of a config with several, sorted by name', async () => {
    const result = await runCli(['-c', 'examples/slurm-on-ec2.conf', 'list-templates', '--json'], { HOME: home.path });

    expect(result.code).toBe(0);
    const names = (JSON.parse(result.stdout) as { name: string }[]).map((template) => template.name);
    expect(names).toEqual([...names].sort());
    expect(names).toContain('slurm');
  });

  it('keeps only the templates that match every pattern, as ElastiCluster does', async () => {
    const result = await runCli(['-c', 'examples/split-config/config', 'list-templates', '*o*', 'h*'], { HOME: home.path });

    expect(result.code).toBe(0);
    expect(result.stdout).toBe(
      [
        '2 cluster templates found in configuration file.',
        "1 cluster templates found matching pattern(s) '*o*, h*'",
        '',
        'name:     hadoop',
        'cloud:    aws',
        'master nodes: 1',
        'worker nodes: 10',
        '',
      ].join('\n'),
    );
  });

  it('warns on stderr about a template that was left out, naming the file, section and reason', async () => {
    const result = await runCli(['-c', 'examples/cloud-sim.conf', 'list-templates'], { ELASTIQ_DEMO_KEY: join(home.path, 'missing-key'), HOME: home.path });

    expect(result.code).toBe(0);
    expect(result.stdout).toBe('0 cluster templates found in configuration file.\n');
    expect(result.stderr).toMatch(/^warning: .*examples\/cloud-sim\.conf: \[cluster\/sim-slurm\] was left out: .*missing-key/m);
  });
});
