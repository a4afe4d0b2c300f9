import type { ClusterDict, NodeDict } from '@elastiq/core';
import { kindVariables, setupClusterVars } from '../src/setup-variables';

function node(name: string, kind: string): NodeDict {
  return {
    name, clusterName: 'demo', kind, imageId: 'ami-1', imageUser: 'elastiq', imageUserdata: '', flavor: 't3.micro', securityGroup: 'default',
    userKeyName: 'k', userKeyPublic: '/keys/id.pub', userKeyPrivate: '/keys/id', sshProxyCommand: '', instanceId: 'i-1', ips: ['127.0.1.1'],
    preferredIp: '127.0.1.1', extra: { groups: [kind] }, state: 'up', lastError: null, hostKey: null, sshPort: 22, setupStatus: null,
  };
}

/** A record as the CLI writes it: the setup section in `extra.elastiq_setup`, vars per kind as the configuration resolved them. */
const record: ClusterDict = {
  name: 'demo', template: 'slurm', availabilityZone: '', startTimeout: 600, sshProbeTimeout: 5, sshProxyCommand: '', sshTo: null, threadPoolMaxSize: 10,
  userKeyName: 'k', userKeyPublic: '/keys/id.pub', userKeyPrivate: '/keys/id',
  nodes: { frontend: [node('frontend001', 'frontend')], compute: [node('compute001', 'compute'), node('compute002', 'compute')] },
  pausedNodes: {},
  extra: {
    image_id: 'ami-1',
    elastiq_setup: { name: 'ansible', provider: 'ansible', playbook_path: '/p/site.yml', vars: { frontend: { greeting: 'welcome' }, compute: { greeting: 'hello', slots: '4' } } },
  },
  status: 'setting-up', statusReason: null, generation: 3, minNodes: {},
  cloud: { provider: 'ec2', ec2Url: 'http://127.0.0.1:1', ec2Region: 'eu-west-1', credentialSource: 'env', vpc: null },
  startDeadline: null, createdAt: '', updatedAt: '',
};

describe('setup variables (the `elasticluster` tree and host vars the playbook gets)', () => {
  it('names the cluster and lists every node like ElastiCluster\'s Cluster.to_vars_dict()', () => {
    const vars = setupClusterVars(record);
    expect(vars).toMatchObject({ name: 'demo', template: 'slurm', image_id: 'ami-1', user_key_private: '/keys/id', cloud: { aws_region: 'eu-west-1' } });
    expect(Object.keys(vars.nodes as object).sort()).toEqual(['compute001', 'compute002', 'frontend001']);
    expect((vars.nodes as Record<string, unknown>).compute002).toMatchObject({ name: 'compute002', kind: 'compute', preferred_ip: '127.0.1.1', instance_id: 'i-1' });
  });

  it('keeps elastiq\'s own setup settings and any cloud key out of the playbook variables', () => {
    const vars = setupClusterVars(record);
    expect(vars).not.toHaveProperty('elastiq_setup');
    expect(JSON.stringify(vars)).not.toMatch(/aws_access_key_id|aws_secret_access_key/);
  });

  it('gives each node the variables the configuration resolved for its kind', () => {
    expect(kindVariables(record, 'compute')).toEqual({ greeting: 'hello', slots: '4' });
    expect(kindVariables(record, 'frontend')).toEqual({ greeting: 'welcome' });
    expect(kindVariables({ ...record, extra: {} }, 'compute')).toEqual({});
  });
});
