import { NodeDictSchema } from '@elastiq/core';
import { sftpArguments, sshArguments } from '../src/remote/ssh-target';

// `elastiq ssh` and `elastiq sftp` exec OpenSSH with ElastiCluster's command line (notes §2.4).

const node = NodeDictSchema.parse({
  name: 'frontend001',
  clusterName: 'hpc',
  kind: 'frontend',
  imageId: 'ami-sim',
  imageUser: 'elastiq',
  flavor: 't3.micro',
  securityGroup: 'default',
  userKeyName: 'k',
  userKeyPublic: '/keys/id.pub',
  userKeyPrivate: '/keys/id',
  sshPort: 2222,
});

describe('the OpenSSH command lines', () => {
  it('pins the known_hosts file with strict checking, and passes the user\'s arguments last', () => {
    expect(sshArguments({ node, ip: '127.0.9.1', knownHostsFile: '/state/hpc.known_hosts' }, ['uptime', '-p'])).toEqual([
      '-i',
      '/keys/id',
      '-o',
      'UserKnownHostsFile=/state/hpc.known_hosts',
      '-o',
      'StrictHostKeyChecking=yes',
      '-o',
      'Port=2222',
      'elastiq@127.0.9.1',
      'uptime',
      '-p',
    ]);
  });

  it('puts the proxy command first, with %h, %p and %r already expanded', () => {
    const proxied = { ...node, sshProxyCommand: 'ssh -W %h:%p %r@127.0.0.2' };

    expect(sshArguments({ node: proxied, ip: '127.0.9.1', knownHostsFile: '/kh' }, []).slice(0, 2)).toEqual(['-o', 'ProxyCommand=ssh -W 127.0.9.1:2222 elastiq@127.0.0.2']);
  });

  it('gives sftp its own options before the destination (sftp reads none after it)', () => {
    expect(sftpArguments({ node, ip: '127.0.9.1', knownHostsFile: '/kh' }, ['-b', 'batch.txt']).slice(-3)).toEqual(['-b', 'batch.txt', 'elastiq@127.0.9.1']);
  });
});
