import { ConfigurationError, getTemplate, loadConfiguration } from '../src';
import { ConfigSandbox } from './support/config-sandbox';
import { minimalConfig } from './support/minimal-config';

// Which problems abort the load and which drop a section and its dependants (notes §1.5).
// A dropped section is always reported with file, section, key and reason.

let sandbox: ConfigSandbox;
beforeAll(async () => {
  sandbox = await ConfigSandbox.create();
});
afterAll(async () => {
  await sandbox.remove();
});

describe('fatal problems', () => {
  it('a configuration without any [cluster/...] section', async () => {
    const text = minimalConfig().replace(/\[cluster\/slurm\][\s\S]*$/, '');
    await expect(sandbox.loadText(text)).rejects.toThrow(/defines no cluster template: add a \[cluster\/NAME\] section/);
  });

  it('a minimum larger than the count, with ElastiCluster’s numbers in the message', async () => {
    await expect(sandbox.loadText(minimalConfig({ cluster: 'compute_nodes_min=5' }))).rejects.toMatchObject({
      section: 'cluster/slurm',
      key: 'compute_nodes_min',
      message: expect.stringContaining("is 5, larger than the number of 'compute' nodes to start (compute_nodes=4)"),
    });
  });

  it('a minimum that is not an integer (Python int() rules: 1.0 is rejected, 1_0 accepted)', async () => {
    await expect(sandbox.loadText(minimalConfig({ cluster: 'compute_nodes_min=1.0' }))).rejects.toThrow(/\[cluster\/slurm\] compute_nodes_min: must be an integer .*got '1.0' \(line 25\)$/);
    const config = await sandbox.loadText(minimalConfig({ cluster: 'compute_nodes=1_0\ncompute_nodes_min= +3 ' }));
    expect(config.templates.slurm?.kinds[1]).toMatchObject({ count: 10, min: 3 });
  });
});

describe('where the configuration is read from', () => {
  it('says where the configuration is expected when -c is not given and nothing exists (no first-run copy)', async () => {
    const home = await ConfigSandbox.create();
    try {
      const loading = loadConfiguration({ homeDir: home.homeDir, env: {} });
      await expect(loading).rejects.toBeInstanceOf(ConfigurationError);
      await expect(loading).rejects.toThrow(`no configuration found: elastiq reads ${home.path('.elasticluster/config')} and ${home.path('.elasticluster/config.d')}/*.conf`);
    } finally {
      await home.remove();
    }
  });

  it('reads ~/.elasticluster/config by default and reports a missing -c file by its path', async () => {
    await sandbox.write('.elasticluster/config', minimalConfig());
    const config = await loadConfiguration({ homeDir: sandbox.homeDir, cwd: sandbox.homeDir, env: {} });
    expect(config.files).toEqual([sandbox.path('.elasticluster/config')]);
    await expect(sandbox.load('~/nowhere.conf')).rejects.toThrow(`${sandbox.path('nowhere.conf')}: unable to read configuration file`);
  });

  it('resolves a relative -c path against the working directory', async () => {
    await sandbox.write('relative/site.conf', minimalConfig());
    const config = await loadConfiguration({ configPath: 'relative/site.conf', explicit: true, cwd: sandbox.homeDir, homeDir: sandbox.homeDir, env: {} });
    expect(config.files).toEqual([sandbox.path('relative/site.conf')]);
  });

  it('reads only *.conf files of the .d directory, even without a main file', async () => {
    await sandbox.write('only-d.d/main.conf', minimalConfig());
    await sandbox.write('only-d.d/notes.txt', 'not an INI file at all');
    const config = await sandbox.load(sandbox.path('only-d'));
    expect(config.files).toEqual([sandbox.path('only-d.d/main.conf')]);
    expect(Object.keys(config.templates)).toEqual(['slurm']);
  });

  it('merges a YAML main file with INI drop-in files', async () => {
    const yaml = await sandbox.write('mixed.yaml', 'cluster:\n  slurm:\n    compute_nodes: 7\n');
    await sandbox.write('mixed.yaml.d/base.conf', minimalConfig());
    const config = await sandbox.load(yaml);
    // The drop-in file is read after the main file, so its compute_nodes=4 wins; the key keeps
    // its first position, so compute comes before frontend.
    expect(config.templates.slurm?.kinds.map((kind) => [kind.kind, kind.count])).toEqual([
      ['compute', 4],
      ['frontend', 1],
    ]);
  });

  it('points errors about a YAML value at its line', async () => {
    const yaml = await sandbox.write('count.yaml', 'cluster:\n  slurm:\n    cloud: aws\n    compute_nodes: ten\n');
    await expect(sandbox.load(yaml)).rejects.toThrow(`${yaml} [cluster/slurm] compute_nodes: must be an integer (number of 'compute' nodes to start), got 'ten' (line 4)`);
    const broken = await sandbox.write('broken.yaml', 'cluster: [\n');
    await expect(sandbox.load(broken)).rejects.toThrow(/broken\.yaml: is not valid YAML/);
  });

  it('reports a YAML file of the wrong shape with the path of the bad value', async () => {
    const yaml = await sandbox.write('bad.yaml', 'cluster:\n  slurm:\n    nodes:\n      compute:\n        flavor: {size: big}\n');
    await expect(sandbox.load(yaml)).rejects.toThrow(/bad\.yaml: cluster\.slurm/);
    const unknown = await sandbox.write('bad2.yaml', 'clusters:\n  slurm: {}\n');
    await expect(sandbox.load(unknown)).rejects.toThrow(/bad2\.yaml: .*Expected top-level keys cloud, login, setup, cluster, storage/);
  });
});

describe('dropped sections', () => {
  it('drops a cloud without provider, and every cluster that uses it, and says why', async () => {
    const text = minimalConfig().replace('provider=ec2_boto\n', '');
    const config = await sandbox.loadText(text);
    expect(config.templates).toEqual({});
    expect(config.dropped).toEqual([
      expect.objectContaining({ section: 'cloud/aws', key: 'provider', reason: expect.stringContaining('provider is required') }),
      expect.objectContaining({ section: 'cluster/slurm', key: 'cloud', reason: expect.stringContaining('refers to [cloud/aws], which was dropped: provider is required') }),
    ]);
    expect(() => getTemplate(config, 'slurm')).toThrow(/^No cluster template named `slurm`: it was dropped because .*\[cluster\/slurm\] cloud refers to \[cloud\/aws\], which was dropped/);
  });

  it('drops a cloud with an unknown provider or a missing required key', async () => {
    const bad = await sandbox.loadText(minimalConfig().replace('provider=ec2_boto', 'provider=ec2'));
    expect(bad.dropped[0]).toMatchObject({ section: 'cloud/aws', key: 'provider', reason: expect.stringContaining("got 'ec2'") });
    const noRegion = await sandbox.loadText(minimalConfig().replace('ec2_region=us-east-1', ''));
    expect(noRegion.dropped[0]).toMatchObject({ section: 'cloud/aws', key: 'ec2_region', reason: 'ec2_region is required but missing' });
  });

  it('drops a login whose key file cannot be read', async () => {
    const config = await sandbox.loadText(minimalConfig().replace('~/.ssh/id_rsa.pub', '~/.ssh/missing.pub'));
    expect(config.dropped[0]).toMatchObject({ section: 'login/ubuntu', key: 'user_key_public', reason: expect.stringContaining(`${sandbox.path('.ssh/missing.pub')} does not exist`) });
  });

  it('drops a cluster that refers to a section that does not exist', async () => {
    const config = await sandbox.loadText(minimalConfig().replace('setup=slurm', 'setup=nothere'));
    expect(config.dropped).toEqual([expect.objectContaining({ section: 'cluster/slurm', key: 'setup', reason: 'setup refers to [setup/nothere], which does not exist in the configuration' })]);
  });

  it('drops a cluster with a kind without flavor, a kind name with _, no kinds, or a bad start_timeout', async () => {
    const cases: Array<[string, RegExp]> = [
      [minimalConfig().replace('flavor=t3.large\n', ''), /flavor is required for kind 'frontend'/],
      [minimalConfig({ cluster: 'small_worker_nodes=1', setup: 'small_worker_groups=slurm_worker' }), /kind 'small_worker'.*letters, digits and '-'/],
      [minimalConfig().replace('frontend_nodes=1\ncompute_nodes=4', ''), /defines no node kind/],
      [minimalConfig({ cluster: 'start_timeout=0' }), /start_timeout must be a positive integer/],
      [minimalConfig({ cluster: 'compute_nodes=-1' }), /compute_nodes must not be negative/],
    ];
    for (const [text, reason] of cases) {
      const config = await sandbox.loadText(text);
      expect(config.templates).toEqual({});
      expect(config.dropped).toEqual([expect.objectContaining({ section: 'cluster/slurm', reason: expect.stringMatching(reason) })]);
    }
  });

  it('drops a cluster whose per-kind section names no kind of it', async () => {
    const config = await sandbox.loadText(minimalConfig({ tail: '[cluster/slurm/gpu]\nflavor=p3.2xlarge' }));
    expect(config.dropped).toEqual([
      expect.objectContaining({ section: 'cluster/slurm', reason: expect.stringContaining("overrides kind 'gpu', but [cluster/slurm] has no gpu_nodes key") }),
    ]);
  });

  it('reports per-kind sections whose [cluster/NAME] is missing', async () => {
    const config = await sandbox.loadText(minimalConfig({ tail: '[cluster/other/compute]\nflavor=c5.large' }));
    expect(() => getTemplate(config, 'other')).toThrow(/it was dropped because .*\[cluster\/other\] has per-kind sections/);
  });

  it('drops a setup section with an unknown provider or an unreadable playbook', async () => {
    const provider = await sandbox.loadText(minimalConfig({ setup: 'provider=puppet' }));
    expect(provider.dropped[0]).toMatchObject({ section: 'setup/slurm', key: 'provider', reason: expect.stringContaining("must be 'ansible' or 'script'") });
    const playbook = await sandbox.loadText(minimalConfig({ setup: 'playbook_path=~/missing.yml' }));
    expect(playbook.dropped[0]).toMatchObject({ section: 'setup/slurm', key: 'playbook_path' });
  });

  it('warns about unknown section types and too-deep cluster headers', async () => {
    const config = await sandbox.loadText(minimalConfig({ tail: '[Cluster/x]\na=1\n[cluster/slurm/compute/extra]\nb=2' }));
    expect(Object.keys(config.templates)).toEqual(['slurm']);
    expect(config.warnings.filter((warning) => warning.message.includes('not a known section type')).map((warning) => warning.section)).toEqual([
      'Cluster/x',
      'cluster/slurm/compute/extra',
    ]);
  });
});

describe('cross-validation (drops the cluster)', () => {
  it('requires <kind>_groups in the setup section for every kind (an empty value counts)', async () => {
    const missing = await sandbox.loadText(minimalConfig().replace('compute_groups=slurm_worker', ''));
    expect(missing.dropped[0]).toMatchObject({ section: 'cluster/slurm', key: 'compute_nodes', reason: expect.stringContaining('has no compute_groups key') });
    const empty = await sandbox.loadText(minimalConfig().replace('compute_groups=slurm_worker', 'compute_groups='));
    expect(empty.templates.slurm?.setup.groups.compute).toEqual([]);
  });

  it('requires ssh_to to name a kind or a node of a kind', async () => {
    expect((await sandbox.loadText(minimalConfig({ cluster: 'ssh_to=frontend001' }))).templates.slurm?.sshTo).toBe('frontend001');
    const bad = await sandbox.loadText(minimalConfig({ cluster: 'ssh_to=login' }));
    expect(bad.dropped[0]).toMatchObject({ key: 'ssh_to', reason: expect.stringContaining("must name a kind of this cluster (frontend, compute) or one of its nodes, got 'login'") });
  });

  it('requires network_ids on every kind when the cloud has a vpc, and forbids them without, naming no secret', async () => {
    const vpc = await sandbox.loadText(minimalConfig({ cloud: 'vpc=vpc-1\nec2_secret_key=TOP-SECRET' }));
    expect(vpc.dropped[0]).toMatchObject({ section: 'cluster/slurm', reason: expect.stringContaining("network_ids is required for kind 'frontend'") });
    expect(JSON.stringify(vpc)).not.toContain('TOP-SECRET');
    const noVpc = await sandbox.loadText(minimalConfig({ tail: '[cluster/slurm/compute]\nnetwork_ids=subnet-1' }));
    expect(noVpc.dropped[0]).toMatchObject({ reason: expect.stringContaining("is set for kind 'compute', but cloud [cloud/aws] has no vpc") });
  });
});
