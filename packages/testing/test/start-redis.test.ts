import { existsSync } from 'node:fs';
import Redis from 'ioredis';
import { isProcessAlive, makeTempDir, startRedis, type RunningRedis } from '../src';

// Real processes, sockets and fsynced files on a shared 2-core machine: jest's 5 s default (the
// preset's testTimeout does not apply in the root's multi-project run) is too tight under load.
jest.setTimeout(60_000);


describe('startRedis', () => {
  let redis: RunningRedis;
  let client: Redis;

  beforeAll(async () => {
    redis = await startRedis();
    client = new Redis(redis.url, { lazyConnect: true });
    await client.connect();
  });

  afterAll(async () => {
    client?.disconnect();
    await redis?.stop();
  });

  it('serves a real redis-server on a loopback address that answers PING', async () => {
    expect(redis.url).toBe(`redis://127.0.0.1:${redis.port}`);
    expect(await client.ping()).toBe('PONG');
    expect(isProcessAlive(redis.pid)).toBe(true);
  });

  it('runs without persistence and with the noeviction policy BullMQ requires', async () => {
    expect(await client.config('GET', 'appendonly')).toEqual(['appendonly', 'no']);
    expect(await client.config('GET', 'save')).toEqual(['save', '']);
    expect(await client.config('GET', 'maxmemory-policy')).toEqual(['maxmemory-policy', 'noeviction']);
    expect(await client.config('GET', 'bind')).toEqual(['bind', '127.0.0.1']);
  });

  it('gives each server its own port so test runs never share state', async () => {
    const other = await startRedis();
    try {
      expect(other.port).not.toBe(redis.port);
      expect(other.pid).not.toBe(redis.pid);
    } finally {
      await other.stop();
    }
  });

  it('stop() kills the process by pid, waits for its exit and removes its own temp dir', async () => {
    const server = await startRedis();
    expect(existsSync(server.dir)).toBe(true);
    await server.stop();
    expect(isProcessAlive(server.pid)).toBe(false);
    expect(existsSync(server.dir)).toBe(false);
  });

  it('keeps data across a restart in persistent mode with the same dir', async () => {
    const dir = await makeTempDir('redis-persistent');
    try {
      const first = await startRedis({ persistent: true, dir: dir.path });
      const writer = new Redis(first.url);
      try {
        expect(await writer.config('GET', 'appendonly')).toEqual(['appendonly', 'yes']);
        await writer.set('cluster:mycluster', 'survives');
      } finally {
        writer.disconnect();
        await first.stop();
      }
      expect(existsSync(dir.path)).toBe(true); // a caller-owned dir is left alone

      const second = await startRedis({ persistent: true, dir: dir.path });
      const reader = new Redis(second.url);
      try {
        expect(await reader.get('cluster:mycluster')).toBe('survives');
      } finally {
        reader.disconnect();
        await second.stop();
      }
    } finally {
      await dir.cleanup();
    }
  });
});
