import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { Cluster, Redis } from 'ioredis';
import { isProcessAlive, makeTempDir, makeTlsCertificate, startRedis, startRedisCluster, startRedisSentinel } from '../src';

// The production-shaped Redis deployments the fleet specs run on: each is real redis-server
// processes on free loopback ports, killed by pid with their directories removed.
jest.setTimeout(60_000);

describe('Redis deployments for tests', () => {
  it('a TLS-only server with an ACL user: rediss:// URL with the user, the default user off', async () => {
    const dir = await makeTempDir('tls-spawner');
    const certificate = await makeTlsCertificate(dir.path);
    const server = await startRedis({ tls: certificate, user: { name: 'u1', password: 'p1' } });
    const client = new Redis(server.url, { tls: { ca: await readFile(certificate.caFile) }, lazyConnect: true });
    try {
      expect(server.url).toBe(`rediss://u1:p1@127.0.0.1:${server.port}`);
      await client.connect();
      expect(await client.call('ACL', 'WHOAMI')).toBe('u1');
      expect(await client.acl('LIST')).toContainEqual(expect.stringMatching(/^user default off /));
    } finally {
      client.disconnect();
      await server.stop();
      await dir.cleanup();
    }
    expect(isProcessAlive(server.pid)).toBe(false);
  });

  it('a three-master cluster covering every slot, stopped by pid with its directories removed', async () => {
    const cluster = await startRedisCluster({ masters: 3 });
    const client = new Cluster([{ host: '127.0.0.1', port: cluster.nodes[0].port }]);
    try {
      expect(await client.cluster('INFO')).toMatch(/cluster_slots_assigned:16384/);
      expect(client.nodes('master')).toHaveLength(3);
    } finally {
      client.disconnect();
      await cluster.stop();
    }
    for (const node of cluster.nodes) {
      expect(isProcessAlive(node.pid)).toBe(false);
      expect(existsSync(node.dir)).toBe(false);
    }
  });

  it('a sentinel that names the master it watches', async () => {
    const deployment = await startRedisSentinel({ masterName: 'm1' });
    const sentinel = new Redis({ host: deployment.sentinel.host, port: deployment.sentinel.port });
    try {
      expect(await sentinel.call('SENTINEL', 'GET-MASTER-ADDR-BY-NAME', 'm1')).toEqual(['127.0.0.1', String(deployment.master.port)]);
    } finally {
      sentinel.disconnect();
      await deployment.stop();
    }
    expect(isProcessAlive(deployment.sentinel.pid)).toBe(false);
    expect(isProcessAlive(deployment.master.pid)).toBe(false);
  });
});
