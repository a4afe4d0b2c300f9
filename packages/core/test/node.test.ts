import { hostOfAddress, isPrivateAddress, Node } from '@elastiq/core';
import { computeSpec, newCluster } from './fixtures';

function computeNode(): Node {
  return newCluster('slurm').addNode('compute', computeSpec);
}

describe('Node.vmName', () => {
  it('is <cluster>-<node>, the Name tag of the instance', () => {
    expect(computeNode().vmName).toBe('slurm-compute001');
  });
});

describe('Node.connectionIp', () => {
  it('is null while no address is known', () => {
    expect(computeNode().connectionIp()).toBeNull();
  });

  it('prefers the address the last successful probe used', () => {
    const node = computeNode();
    node.ips = ['203.0.113.7', '10.0.0.5'];
    node.preferredIp = '10.0.0.5';
    expect(node.connectionIp()).toBe('10.0.0.5');
  });

  it('else takes a public address, whatever its position', () => {
    const node = computeNode();
    node.ips = ['10.0.0.5', '203.0.113.7'];
    expect(node.connectionIp()).toBe('203.0.113.7');
  });

  it("else takes a private one", () => {
    const node = computeNode();
    node.ips = ['192.168.1.4', '10.0.0.5'];
    expect(node.connectionIp()).toBe('192.168.1.4');
  });

  it("takes cloud-sim's loopback address over a private one: loopback is where the instance answers", () => {
    const node = computeNode();
    node.ips = ['10.0.0.5', '127.0.1.2'];
    expect(node.connectionIp()).toBe('127.0.1.2');
  });
});

describe('IP strings as stored', () => {
  it.each([
    ['10.0.0.5', '10.0.0.5'],
    ['10.0.0.5:2222', '10.0.0.5'],
    ['[fd00::5]:2222', 'fd00::5'],
    ['fe80::1%eth0', 'fe80::1'],
    ['2001:db8::1', '2001:db8::1'],
  ])('hostOfAddress(%j) = %j', (ip, host) => {
    expect(hostOfAddress(ip)).toBe(host);
  });

  it.each([
    ['10.1.2.3', true],
    ['172.20.0.1:22', true],
    ['192.168.0.1', true],
    ['100.64.0.1', true],
    ['[fd00::5]:22', true],
    ['fe80::1%eth0', true],
    ['172.32.0.1', false],
    ['203.0.113.7', false],
    ['127.0.1.2', false],
    ['2001:db8::1', false],
    ['node.example', false],
  ])('isPrivateAddress(%j) = %j', (ip, expected) => {
    expect(isPrivateAddress(ip)).toBe(expected);
  });
});

describe('Node.toVarsDict', () => {
  it("gives ElastiCluster's node variables with the kind's extra keys merged in", () => {
    const node = computeNode();
    node.instanceId = 'i-0abc';
    node.ips = ['127.0.1.2'];
    node.preferredIp = '127.0.1.2';
    node.extra = { min_num: 2, login: 'ubuntu', local_ssd_count: 0 };
    expect(node.toVarsDict()).toEqual({
      name: 'compute001',
      kind: 'compute',
      user_key_name: 'elastiq',
      image_user: 'ubuntu',
      security_group: 'default',
      image_id: 'ami-0123',
      image_userdata: '',
      flavor: 't3.large',
      instance_id: 'i-0abc',
      preferred_ip: '127.0.1.2',
      ips: ['127.0.1.2'],
      min_num: 2,
      login: 'ubuntu',
      local_ssd_count: 0,
    });
  });

  it('leaves out cluster name, proxy command and key paths, and lets no extra key override the identity', () => {
    const node = computeNode();
    node.extra = { name: 'evil', kind: 'evil' };
    const vars = node.toVarsDict();
    expect(vars).toMatchObject({ name: 'compute001', kind: 'compute' });
    for (const key of ['cluster_name', 'ssh_proxy_command', 'user_key_private', 'user_key_public']) expect(vars).not.toHaveProperty(key);
  });

  it('never includes private key material, even when someone put it into extra', () => {
    const node = computeNode();
    const pem = '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----\n';
    node.extra = { deploy_key: pem, nested: { keys: [pem, 'ok'], path: '/keys/deploy' } };
    const vars = node.toVarsDict();
    expect(JSON.stringify(vars)).not.toContain('PRIVATE KEY');
    expect(vars).not.toHaveProperty('deploy_key');
    expect(vars.nested).toEqual({ keys: ['ok'], path: '/keys/deploy' });
  });
});

describe('Node.fromDict', () => {
  it('names every invalid field', () => {
    expect(() => Node.fromDict({ name: 'compute001', kind: 'compute' })).toThrow(/invalid node record: clusterName: .*; imageId: /);
  });

  it('round-trips toDict', () => {
    const node = computeNode();
    node.hostKey = { type: 'ssh-ed25519', base64: 'AAAA', fingerprint: 'SHA256:x' };
    node.setupStatus = 'ok';
    expect(Node.fromDict(node.toDict()).toDict()).toEqual(node.toDict());
  });
});
