import { chmod } from 'node:fs/promises';
import { ConfigSandbox } from './support/config-sandbox';
import { minimalConfig } from './support/minimal-config';

// Where ElastiCluster crashes, silently drops or ignores something, or depends on an
// unspecified order (notes: [BUG]), elastiq makes the choice listed in docs/compatibility.md.

let sandbox: ConfigSandbox;
beforeAll(async () => {
  sandbox = await ConfigSandbox.create();
});
afterAll(async () => {
  await sandbox.remove();
});

describe('deliberate differences from ElastiCluster', () => {
  it('reads config.d files after the main file in sorted order, so the same key always resolves the same way', async () => {
    const main = await sandbox.write('order/config', minimalConfig({ cluster: 'flavor=from-main' }));
    await sandbox.write('order/config.d/b.conf', '[cluster/slurm]\nflavor=from-b\n');
    await sandbox.write('order/config.d/a.conf', '[cluster/slurm]\nflavor=from-a\n');
    for (let run = 0; run < 3; run += 1) {
      expect((await sandbox.load(main)).templates.slurm?.kinds[0]?.flavor).toBe('from-b');
    }
  });

  it('renames the legacy <kind>_min_nodes to <kind>_nodes_min with a warning instead of crashing', async () => {
    const config = await sandbox.loadText(minimalConfig({ cluster: 'compute_min_nodes=2' }));
    expect(config.templates.slurm?.kinds.map((kind) => [kind.kind, kind.min])).toEqual([
      ['frontend', 1],
      ['compute', 2],
    ]);
    expect(config.warnings).toContainEqual(expect.objectContaining({ key: 'compute_min_nodes', message: "is deprecated: rename it to 'compute_nodes_min'" }));
  });

  it('accepts a fractional spot price in [cloud/...] instead of dropping the cloud', async () => {
    const config = await sandbox.loadText(minimalConfig({ cloud: 'price=0.08' }));
    expect(config.templates.slurm?.cloud.price).toBe(0.08);
    expect((await sandbox.loadText(minimalConfig({ cloud: 'price=cheap' }))).dropped[0]).toMatchObject({ section: 'cloud/aws', key: 'price' });
  });

  it('reads a per-kind price=0 as the number 0 (on-demand), not as a spot bid of "0"', async () => {
    const config = await sandbox.loadText(minimalConfig({ tail: '[cluster/slurm/compute]\nprice=0' }));
    expect(config.templates.slurm?.kinds[0]?.extra.price).toBe(0);
  });

  it('accepts <kind>_nodes=0 to declare a kind for later, but not a cluster without any node', async () => {
    const config = await sandbox.loadText(minimalConfig({ cluster: 'gpu_nodes=0', setup: 'gpu_groups=cuda' }));
    expect(config.templates.slurm?.kinds.map((kind) => [kind.kind, kind.count, kind.min])).toContainEqual(['gpu', 0, 0]);
    const none = await sandbox.loadText(minimalConfig().replace('frontend_nodes=1\ncompute_nodes=4', 'frontend_nodes=0'));
    expect(none.dropped[0]).toMatchObject({ section: 'cluster/slurm', reason: expect.stringContaining('starts no node at all') });
  });

  it('drops a kind whose name ends in a digit at load time instead of failing at start', async () => {
    const config = await sandbox.loadText(minimalConfig({ cluster: 'node2_nodes=1', setup: 'node2_groups=slurm_worker' }));
    expect(config.dropped[0]).toMatchObject({ key: 'node2_nodes', reason: expect.stringContaining('must not end in a digit') });
  });

  it('uses the login section’s image_userdata when neither the cluster nor the kind sets one', async () => {
    const config = await sandbox.loadText(minimalConfig({ login: 'image_userdata=#!/bin/sh\n  echo hi', tail: '[cluster/slurm/compute]\nimage_userdata=per-kind' }));
    expect(config.templates.slurm?.kinds.map((kind) => [kind.kind, kind.imageUserdata])).toEqual([
      ['compute', 'per-kind'],
      ['frontend', '#!/bin/sh\necho hi'],
    ]);
  });

  it('warns that cluster-level price, timeout, placement_group and image_user have no effect on nodes', async () => {
    const config = await sandbox.loadText(minimalConfig({ cluster: 'price=0.5\ntimeout=60\nplacement_group=pg\nimage_user=root' }));
    expect(config.templates.slurm?.kinds.every((kind) => kind.extra.price === undefined && kind.imageUser === 'ubuntu')).toBe(true);
    expect(config.warnings.filter((warning) => warning.message.includes('has no effect in [cluster/NAME]')).map((warning) => warning.key)).toEqual([
      'price',
      'timeout',
      'placement_group',
      'image_user',
    ]);
  });

  it('warns that a [storage] section is not read', async () => {
    const config = await sandbox.loadText(minimalConfig({ tail: '[storage]\nstorage_path=/tmp/x' }));
    expect(config.warnings).toContainEqual(expect.objectContaining({ section: 'storage', message: expect.stringContaining('is not read') }));
  });

  it('accepts an ansible_command with arguments when its first word is an executable', async () => {
    const tool = await sandbox.write('bin/my-ansible', '#!/bin/sh\n');
    await chmod(tool, 0o755);
    const config = await sandbox.loadText(minimalConfig({ setup: `ansible_command=${tool} --forks 20` }));
    expect(config.templates.slurm?.setup.ansibleCommand).toBe(`${tool} --forks 20`);
    const bad = await sandbox.loadText(minimalConfig({ setup: 'ansible_command=/no/such/ansible -v' }));
    expect(bad.dropped[0]).toMatchObject({ section: 'setup/slurm', key: 'ansible_command' });
  });

  it('reads an unrecognised boolean word as false, like ElastiCluster, but warns', async () => {
    const config = await sandbox.loadText(minimalConfig({ login: 'image_sudo=Treu' }));
    expect(config.templates.slurm?.login.imageSudo).toBe(false);
    expect(config.warnings).toContainEqual(expect.objectContaining({ section: 'login/ubuntu', key: 'image_sudo', message: expect.stringContaining("'Treu' is not a boolean word") }));
  });

  it('warns about an unknown key in a login or cloud section instead of dropping the section', async () => {
    const config = await sandbox.loadText(minimalConfig({ login: 'user_key_passphrase=x', cloud: 'ec2_zone=a' }));
    expect(Object.keys(config.templates)).toEqual(['slurm']);
    expect(config.warnings.filter((warning) => warning.message.includes('not a known key')).map((warning) => [warning.section, warning.key])).toEqual([
      ['cloud/aws', 'ec2_zone'],
      ['login/ubuntu', 'user_key_passphrase'],
    ]);
  });

  it('keeps login and cloud sections that receive [DEFAULT] keys, warning where they come from', async () => {
    const config = await sandbox.loadText(minimalConfig({ head: '[DEFAULT]\nflavor=t3.small' }));
    expect(config.templates.slurm?.kinds[0]?.flavor).toBe('t3.large');
    expect(config.warnings).toContainEqual(expect.objectContaining({ section: 'login/ubuntu', key: 'flavor', message: expect.stringContaining('comes from [DEFAULT]') }));
  });

  it('warns about unknown keys in cluster and setup sections and keeps them', async () => {
    const config = await sandbox.loadText(minimalConfig({ cluster: 'flavour=t3.large', setup: 'playbok_path=x' }));
    expect(config.templates.slurm?.extra.flavour).toBe('t3.large');
    expect(config.warnings.map((warning) => warning.key)).toEqual(expect.arrayContaining(['flavour', 'playbok_path']));
  });

  it('strips only the leading <kind>_var_ from variable names; the later key wins between global and kind variables', async () => {
    const config = await sandbox.loadText(
      minimalConfig({ setup: 'compute_var_my_compute_var_x=1\ncompute_var_shared=kind\nglobal_var_shared=global', cluster: 'compute_var_from_cluster=yes' }),
    );
    expect(config.templates.slurm?.setup.vars.compute).toEqual({ my_compute_var_x: '1', shared: 'global', from_cluster: 'yes' });
    expect(config.templates.slurm?.setup.vars.frontend).toEqual({ shared: 'global' });
  });
});

describe('elastiq extension: the script setup provider', () => {
  it('takes script_path for every kind and <kind>_script_path per kind, as absolute paths', async () => {
    await sandbox.write('scripts/all.sh', '#!/bin/sh\n');
    await sandbox.write('scripts/compute.sh', '#!/bin/sh\n');
    const config = await sandbox.loadText(
      minimalConfig().replace('[setup/slurm]\nfrontend_groups=slurm_master\ncompute_groups=slurm_worker', '[setup/slurm]\nprovider=script\nscript_path=scripts/all.sh\ncompute_script_path=~/scripts/compute.sh'),
    );
    expect(config.templates.slurm?.setup).toMatchObject({
      provider: 'script',
      scriptPath: sandbox.path('scripts/all.sh'),
      kindScriptPaths: { compute: sandbox.path('scripts/compute.sh') },
      groups: {},
    });
  });

  it('drops the cluster when a kind has no script, and the setup when a script is missing', async () => {
    await sandbox.write('scripts/compute.sh', '#!/bin/sh\n');
    const noScript = await sandbox.loadText(minimalConfig({ setup: 'provider=script\ncompute_script_path=~/scripts/compute.sh' }));
    expect(noScript.dropped[0]).toMatchObject({ section: 'cluster/slurm', reason: expect.stringContaining('neither script_path nor frontend_script_path') });
    const missing = await sandbox.loadText(minimalConfig({ setup: 'provider=script\nscript_path=~/nope.sh' }));
    expect(missing.dropped[0]).toMatchObject({ section: 'setup/slurm', key: 'script_path' });
  });
});
