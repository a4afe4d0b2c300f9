// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${VAR} here is configuration text, not a template
import { join } from 'node:path';
import { ConfigurationError, describeTemplate } from '../src';
import { ConfigSandbox, EXAMPLES_DIR, kindSummary } from './support/config-sandbox';

// Each example must load into exactly the templates ElastiCluster builds from it (notes §1.9,
// §1.10): kinds in ElastiCluster's order, counts, minimums, images, flavors, users, security
// groups and Ansible groups are written out by hand below.

let sandbox: ConfigSandbox;
beforeAll(async () => {
  sandbox = await ConfigSandbox.create();
});
afterAll(async () => {
  await sandbox.remove();
});

const example = (name: string) => join(EXAMPLES_DIR, name);

describe('examples/slurm-on-ec2.conf', () => {
  it('gives one template whose overridden kinds come first, with per-kind flavors and the login user', async () => {
    const config = await sandbox.load(example('slurm-on-ec2.conf'));
    expect(Object.keys(config.templates)).toEqual(['slurm']);
    expect(config.dropped).toEqual([]);
    expect(kindSummary(config, 'slurm')).toEqual([
      { kind: 'frontend', count: 1, min: 1, imageId: 'ami-0a313d6098716f372', flavor: 'm5.large', imageUser: 'ubuntu', securityGroup: 'slurm-sg', groups: ['slurm_master', 'ganglia_master'] },
      { kind: 'compute', count: 8, min: 6, imageId: 'ami-0a313d6098716f372', flavor: 'c5.2xlarge', imageUser: 'ubuntu', securityGroup: 'slurm-sg', groups: ['slurm_worker', 'ganglia_monitor'] },
    ]);
  });

  it('keeps per-kind EC2 keys in the kind, typed, and turns %% into %', async () => {
    const template = (await sandbox.load(example('slurm-on-ec2.conf'))).templates.slurm;
    const [frontend, compute] = template?.kinds ?? [];
    expect(compute?.extra).toMatchObject({ price: 0.08, timeout: 600, login: 'ubuntu' });
    expect(frontend?.extra).toMatchObject({ boot_disk_size: '100', boot_disk_type: 'gp2' });
    expect(template?.sshProxyCommand).toBe('ssh -W %h:%p bastion.example.org');
    expect(template?.sshTo).toBe('frontend');
    expect(template?.startTimeout).toBe(600);
    expect(template?.sshProbeTimeout).toBe(5);
    expect(template?.cloud).toMatchObject({ provider: 'ec2_boto', ec2Region: 'us-east-1', requestFloatingIp: false, price: 0, timeout: 0 });
    expect(template?.login).toMatchObject({ imageSudo: true, imageUserSudo: 'root', userKeyPrivate: sandbox.path('.ssh/id_rsa') });
  });

  it('collects global and per-kind variables for the kinds that have groups', async () => {
    const template = (await sandbox.load(example('slurm-on-ec2.conf'))).templates.slurm;
    expect(template?.setup.vars).toEqual({
      frontend: { multiuser_cluster: 'yes' },
      compute: { multiuser_cluster: 'yes', slurm_default_partition: 'batch' },
    });
  });
});

describe('examples/gridengine-with-env-vars.conf', () => {
  const env = {
    AWS_REGION: 'eu-west-1',
    EC2_ACCESS_KEY: 'AKIAEXAMPLE',
    EC2_SECRET_KEY: 'secret-example',
    CLUSTER_AMI: 'ami-0123456789abcdef0',
    USER: 'alice',
  };

  it('expands $VAR and ${VAR} from the environment', async () => {
    const config = await sandbox.load(example('gridengine-with-env-vars.conf'), { env: { ...env, SSH_KEY_DIR: sandbox.path('.ssh') } });
    const template = config.templates.gridengine;
    expect(template?.cloud).toMatchObject({ ec2Url: 'https://ec2.eu-west-1.amazonaws.com', ec2Region: 'eu-west-1', ec2AccessKey: 'AKIAEXAMPLE', ec2SecretKey: 'secret-example' });
    expect(template?.login.userKeyName).toBe('alice-gridengine');
    expect(kindSummary(config, 'gridengine')).toEqual([
      { kind: 'frontend', count: 1, min: 1, imageId: 'ami-0123456789abcdef0', flavor: 'm5.xlarge', imageUser: 'centos', securityGroup: 'default', groups: ['gridengine_master'] },
      { kind: 'compute', count: 4, min: 4, imageId: 'ami-0123456789abcdef0', flavor: 'm5.xlarge', imageUser: 'centos', securityGroup: 'default', groups: ['gridengine_worker'] },
    ]);
    expect(config.warnings).toContainEqual(expect.objectContaining({ section: 'setup/gridengine', key: 'compute_groups', message: expect.stringContaining("'gridengine_clients' is deprecated") }));
  });

  it('keeps an unset variable literally, warns, and drops the login whose key path then does not exist', async () => {
    const config = await sandbox.load(example('gridengine-with-env-vars.conf'), { env });
    expect(config.warnings).toContainEqual(expect.objectContaining({ section: 'login/centos', key: 'user_key_private', message: expect.stringContaining('${SSH_KEY_DIR}') }));
    expect(config.dropped).toContainEqual(expect.objectContaining({ section: 'login/centos', key: 'user_key_private' }));
    expect(config.dropped).toContainEqual(expect.objectContaining({ section: 'cluster/gridengine', reason: expect.stringContaining('[login/centos], which was dropped') }));
  });
});

describe('examples/jupyterhub-with-userdata.conf', () => {
  it('joins the indented lines of image_userdata with newlines, keeping the blank line', async () => {
    const config = await sandbox.load(example('jupyterhub-with-userdata.conf'));
    const [server] = config.templates.jupyterhub?.kinds ?? [];
    expect(server?.imageUserdata).toBe(
      "#!/bin/bash\napt-get update\n\napt-get install -y python3 python3-apt\necho 'ready' > /var/run/elastiq-userdata",
    );
    expect(kindSummary(config, 'jupyterhub')).toEqual([
      { kind: 'server', count: 1, min: 1, imageId: 'ami-0c7217cdde317cfec', flavor: 't3.large', imageUser: 'admin', securityGroup: 'jupyter', groups: ['jupyterhub'] },
    ]);
    expect(config.templates.jupyterhub?.setup.vars).toEqual({ server: { jupyterhub_port: '8000' } });
  });
});

describe('examples/split-config', () => {
  it('reads config then config.d/*.conf in sorted order, so the later file wins a repeated key', async () => {
    const config = await sandbox.load(example('split-config/config'));
    expect(config.files.map((file) => file.slice(EXAMPLES_DIR.length + 1))).toEqual([
      'split-config/config',
      'split-config/config.d/10-clouds.conf',
      'split-config/config.d/20-hadoop.conf',
      'split-config/config.d/30-torque.conf',
      'split-config/config.d/90-site-overrides.conf',
    ]);
    expect(kindSummary(config, 'hadoop')).toEqual([
      { kind: 'master', count: 1, min: 1, imageId: 'ami-0fc5d935ebf8bc3bc', flavor: 'r5.xlarge', imageUser: 'ubuntu', securityGroup: 'default', groups: ['hadoop_master'] },
      { kind: 'worker', count: 10, min: 10, imageId: 'ami-0fc5d935ebf8bc3bc', flavor: 'r5.xlarge', imageUser: 'ubuntu', securityGroup: 'default', groups: ['hadoop_worker'] },
    ]);
  });

  it('renames setup_provider and old group names, keeping duplicate groups', async () => {
    const config = await sandbox.load(example('split-config/config'));
    expect(config.templates.torque?.setup.name).toBe('torque');
    expect(kindSummary(config, 'torque').map(({ kind, groups }) => ({ kind, groups }))).toEqual([
      { kind: 'master', groups: ['torque_master', 'torque_master'] },
      { kind: 'compute', groups: ['torque_worker'] },
    ]);
    expect(config.warnings).toContainEqual(expect.objectContaining({ section: 'cluster/torque', key: 'setup_provider' }));
  });
});

describe('examples/kubernetes.yaml', () => {
  it('loads the YAML form into the same kind of template, lists joined, % literal', async () => {
    const config = await sandbox.load(example('kubernetes.yaml'));
    expect(config.dropped).toEqual([]);
    expect(kindSummary(config, 'kubernetes')).toEqual([
      { kind: 'worker', count: 3, min: 2, imageId: 'ami-008fe2fc65df48dac', flavor: 'm5.xlarge', imageUser: 'ubuntu', securityGroup: 'k8s', groups: ['kubernetes_worker', 'docker'] },
      { kind: 'master', count: 1, min: 1, imageId: 'ami-008fe2fc65df48dac', flavor: 't3.large', imageUser: 'ubuntu', securityGroup: 'k8s', groups: ['kubernetes_master'] },
    ]);
    const template = config.templates.kubernetes;
    expect(template?.kinds.map((kind) => kind.networkIds)).toEqual([['subnet-0d5e9a1c4b2f3a6e7'], ['subnet-0d5e9a1c4b2f3a6e7']]);
    expect(template?.cloud).toMatchObject({ vpc: 'vpc-0b7e2ad4c1e0a9f31', requestFloatingIp: true });
    expect(template?.sshProxyCommand).toBe('ssh -W %h:%p bastion.example.org');
    expect(template?.kinds[0]?.extra.price).toBe(0.12);
  });
});

describe('examples/cloud-sim.conf', () => {
  it('targets the local endpoint with the ami-sim image, the elastiq user and the key from $ELASTIQ_DEMO_KEY', async () => {
    const config = await sandbox.load(example('cloud-sim.conf'), { env: { ELASTIQ_DEMO_KEY: sandbox.path('.ssh/id_rsa') } });
    const template = config.templates['sim-slurm'];
    expect(template?.cloud).toMatchObject({ ec2Url: 'http://127.0.0.1:4566', ec2Region: 'us-east-1' });
    expect(template?.login).toMatchObject({ imageUser: 'elastiq', imageSudo: false, userKeyPrivate: sandbox.path('.ssh/id_rsa'), userKeyPublic: sandbox.path('.ssh/id_rsa.pub') });
    expect(template?.startTimeout).toBe(120);
    expect(describeTemplate(template as NonNullable<typeof template>)).toEqual({
      name: 'sim-slurm',
      cloud: 'cloud-sim',
      login: 'sim',
      setup: 'sim-slurm',
      kinds: {
        frontend: { count: 1, min: 1, image_id: 'ami-sim', flavor: 't3.small', image_user: 'elastiq', security_group: 'default', groups: ['slurm_master'] },
        compute: { count: 4, min: 2, image_id: 'ami-sim', flavor: 't3.micro', image_user: 'elastiq', security_group: 'default', groups: ['slurm_worker'] },
      },
    });
  });
});

describe('examples/playbooks/elastiq.conf (the demo cluster)', () => {
  it('loads with the repository root as working directory, where its relative playbook path points', async () => {
    await sandbox.write('.ssh/id_ed25519', 'private key placeholder\n');
    await sandbox.write('.ssh/id_ed25519.pub', 'ssh-ed25519 AAAA placeholder\n');
    const config = await sandbox.load(example('playbooks/elastiq.conf'), { cwd: join(EXAMPLES_DIR, '..') });
    expect(config.warnings).toEqual([]);
    expect(config.templates.demo?.setup.playbookPath).toBe(example('playbooks/site.yml'));
    expect(kindSummary(config, 'demo')).toEqual([
      { kind: 'frontend', count: 1, min: 1, imageId: 'ami-00000000000000001', flavor: 't3.micro', imageUser: 'elastiq', securityGroup: 'default', groups: ['frontend'] },
      { kind: 'compute', count: 2, min: 2, imageId: 'ami-00000000000000001', flavor: 't3.micro', imageUser: 'elastiq', securityGroup: 'default', groups: ['compute'] },
    ]);
  });
});

describe('examples/invalid.conf', () => {
  it('fails with an error that names the file, the section and the key', async () => {
    const loading = sandbox.load(example('invalid.conf'));
    await expect(loading).rejects.toBeInstanceOf(ConfigurationError);
    await expect(loading).rejects.toMatchObject({
      file: example('invalid.conf'),
      section: 'cluster/slurm',
      key: 'compute_nodes',
      message: `${example('invalid.conf')} [cluster/slurm] compute_nodes: must be an integer (number of 'compute' nodes to start), got 'ten' (line 27)`,
    });
  });
});
