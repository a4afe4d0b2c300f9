import { ConfigSandbox } from './support/config-sandbox';
import { minimalConfig } from './support/minimal-config';

// Issue 11: a kind may list where else it can be launched. These keys are elastiq extensions;
// a configuration without them loads exactly as before.

let sandbox: ConfigSandbox;
beforeAll(async () => {
  sandbox = await ConfigSandbox.create();
});
afterAll(async () => {
  await sandbox.remove();
});

describe('flavor_alternatives and availability_zones', () => {
  it('gives a kind without them no alternatives and no zones', async () => {
    const config = await sandbox.loadText(minimalConfig());
    const kinds = config.templates.slurm?.kinds ?? [];
    expect(kinds.map((kind) => [kind.flavorAlternatives, kind.availabilityZones])).toEqual([
      [[], []],
      [[], []],
    ]);
    expect(kinds.every((kind) => !('flavor_alternatives' in kind.extra) && !('availability_zones' in kind.extra))).toBe(true);
    expect(config.warnings).toEqual([]);
  });

  it('reads them per kind in INI, inherited from the cluster section, in order, without repeating the flavor', async () => {
    const config = await sandbox.loadText(
      minimalConfig({
        cluster: 'availability_zones=us-east-1a, us-east-1b',
        tail: ['[cluster/slurm/compute]', 'flavor=c5.xlarge', 'flavor_alternatives=c5a.xlarge,c5.xlarge,c6i.xlarge'].join('\n'),
      }),
    );
    const [compute, frontend] = config.templates.slurm?.kinds ?? [];
    expect(compute).toMatchObject({ kind: 'compute', flavor: 'c5.xlarge', flavorAlternatives: ['c5a.xlarge', 'c6i.xlarge'], availabilityZones: ['us-east-1a', 'us-east-1b'] });
    expect(frontend).toMatchObject({ kind: 'frontend', flavorAlternatives: [], availabilityZones: ['us-east-1a', 'us-east-1b'] });
    expect(config.warnings).toEqual([]);
  });

  it('reads them from YAML lists', async () => {
    const yaml = [
      'cloud: { aws: { provider: ec2_boto, ec2_url: "https://ec2.us-east-1.amazonaws.com", ec2_region: us-east-1 } }',
      'login: { ubuntu: { image_user: ubuntu, user_key_name: k, user_key_private: ~/.ssh/id_rsa, user_key_public: ~/.ssh/id_rsa.pub } }',
      'setup: { s: { compute_groups: slurm_worker } }',
      'cluster:',
      '  c:',
      '    cloud: aws',
      '    login: ubuntu',
      '    setup: s',
      '    image_id: ami-1',
      '    flavor: c5.xlarge',
      '    compute_nodes: 2',
      '    nodes:',
      '      compute:',
      '        flavor_alternatives: [c5a.xlarge]',
      '        availability_zones: [us-east-1a, us-east-1c]',
    ].join('\n');
    const config = await sandbox.load(await sandbox.write('config.yaml', yaml));
    expect(config.templates.c?.kinds[0]).toMatchObject({ flavorAlternatives: ['c5a.xlarge'], availabilityZones: ['us-east-1a', 'us-east-1c'] });
  });

  it('drops a cluster that names zones and subnets for the same kind, saying which to keep', async () => {
    const config = await sandbox.loadText(minimalConfig({ cluster: 'availability_zones=us-east-1a\nnetwork_ids=subnet-1' }));
    expect(config.templates.slurm).toBeUndefined();
    expect(config.dropped[0]?.reason).toMatch(/availability_zones.*cannot be combined with network_ids.*one subnet per zone/);
  });
});

describe('spot kinds: price, timeout and spot_fallback', () => {
  it('reads a kind’s price and timeout as numbers and spot_fallback, inherited from the cluster section', async () => {
    const config = await sandbox.loadText(
      minimalConfig({ cluster: 'spot_fallback=on-demand', tail: ['[cluster/slurm/compute]', 'price=0.08', 'timeout=120'].join('\n') }),
    );
    const [compute, frontend] = config.templates.slurm?.kinds ?? [];
    expect(compute.extra).toMatchObject({ price: 0.08, timeout: 120, spot_fallback: 'on-demand' });
    expect(frontend.extra).not.toHaveProperty('price');
    expect(config.warnings).toEqual([]);
  });

  it('drops a cluster whose spot_fallback is neither on-demand nor none, saying what it may be', async () => {
    const config = await sandbox.loadText(minimalConfig({ cluster: 'spot_fallback=yes' }));
    expect(config.templates.slurm).toBeUndefined();
    expect(config.dropped[0]?.reason).toMatch(/spot_fallback.*must be on-demand or none, got 'yes'/);
  });
});
