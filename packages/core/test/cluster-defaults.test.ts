import { Cluster, ClusterDictSchema, ConfigurationError } from '@elastiq/core';
import { computeSpec, newCluster } from './fixtures';

// The reference's constructor: Cluster(name, user_key_name='elasticluster-key',
// user_key_public='~/.ssh/id_rsa.pub', user_key_private='~/.ssh/id_rsa', availability_zone='',
// start_timeout=600, ssh_probe_timeout=5, ssh_proxy_command='', thread_pool_max_size=10), and its
// update_config, which takes over only what can safely change.

describe('new Cluster({ name })', () => {
  it("has the reference's defaults", () => {
    const cluster = new Cluster({ name: 'mycluster' });

    expect(cluster).toMatchObject({
      name: 'mycluster',
      userKeyName: 'elasticluster-key',
      userKeyPublic: '~/.ssh/id_rsa.pub',
      userKeyPrivate: '~/.ssh/id_rsa',
      availabilityZone: '',
      startTimeout: 600,
      sshProbeTimeout: 5,
      sshProxyCommand: '',
      threadPoolMaxSize: 10,
    });
    expect(cluster.getAllNodes()).toEqual([]);
  });

  it('adds nodes with the default key pair, and its record is a valid stored record', () => {
    const cluster = new Cluster({ name: 'mycluster' });
    const node = cluster.addNode('frontend', computeSpec);

    expect(node).toMatchObject({ name: 'frontend001', clusterName: 'mycluster', userKeyName: 'elasticluster-key', userKeyPrivate: '~/.ssh/id_rsa' });
    expect(ClusterDictSchema.safeParse(cluster.toDict()).success).toBe(true);
  });

  it('still names the field of a bad setting', () => {
    expect(() => new Cluster({ name: 'x', sshProbeTimeout: -1 })).toThrow(/cluster record `x` is invalid: sshProbeTimeout:/);
  });
});

describe('Cluster.updateConfig', () => {
  it('takes over ssh_to, the proxy command, the timeouts and the pool size, and reports what changed', () => {
    const cluster = newCluster();
    const report = cluster.updateConfig({ sshTo: 'login', startTimeout: 900, sshProbeTimeout: 5, threadPoolMaxSize: 20 });

    expect(report).toEqual({ updated: { sshTo: [null, 'login'], startTimeout: [600, 900], threadPoolMaxSize: [10, 20] }, ignored: [] });
    expect(cluster).toMatchObject({ sshTo: 'login', startTimeout: 900, threadPoolMaxSize: 20 });
  });

  it('leaves alone what belongs to instances that already exist, and says so', () => {
    const cluster = newCluster();
    const report = cluster.updateConfig({ name: 'slurm', userKeyPrivate: '/other/key', template: 'other', sshProxyCommand: 'ssh -W %h:%p bastion' });

    expect(report).toEqual({ updated: { sshProxyCommand: ['', 'ssh -W %h:%p bastion'] }, ignored: ['userKeyPrivate', 'template'] });
    expect(cluster.userKeyPrivate).toBe('/home/u/.ssh/id_ed25519');
    expect(cluster.template).toBe('slurm-on-aws');
  });

  it('refuses a bad value as a configuration mistake, changing nothing', () => {
    const cluster = newCluster();
    expect(() => cluster.updateConfig({ sshTo: 'login', startTimeout: 0 })).toThrow(ConfigurationError);
    expect(cluster.sshTo).toBeNull();
  });
});
