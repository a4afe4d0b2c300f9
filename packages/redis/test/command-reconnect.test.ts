import { loadRuntimeSettings } from '@elastiq/config';
import { type RunningRedis, startRedis } from '@elastiq/testing';
import { connectRedis, createRedisConnection, type RedisConnection } from '../src';

// A CLI command's connection against a real redis-server that is killed under it: within the
// reconnect budget it gets its link back and the waiting command answers; past it, it ends.
jest.setTimeout(60_000);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('a command connection that loses its Redis', () => {
  let server: RunningRedis | undefined;
  const open: RedisConnection[] = [];

  afterEach(async () => {
    // An ended connection is left alone: disconnect() would arm ioredis's 2 s destroy timer.
    for (const connection of open.splice(0)) if (connection.status !== 'end') connection.disconnect();
    await server?.stop();
    server = undefined;
  });

  it('rides out a Redis restart on the same port: the command sent meanwhile answers', async () => {
    server = await startRedis();
    const redis = await connectRedis(loadRuntimeSettings({ ELASTIQ_REDIS_URL: server.url }).redis, 'command');
    open.push(redis);
    const { port } = server;
    await server.stop('SIGKILL');
    const pending = redis.ping();
    await sleep(1500);
    server = await startRedis({ port });
    await expect(pending).resolves.toBe('PONG');
    expect(redis.status).toBe('ready');
  });

  it('ends once the link has been down longer than the budget, and the waiting command fails', async () => {
    server = await startRedis();
    const redis = createRedisConnection(loadRuntimeSettings({ ELASTIQ_REDIS_URL: server.url }).redis, 'command', { reconnectMs: 1000 });
    redis.on('error', () => undefined);
    open.push(redis);
    await redis.connect();
    await server.stop('SIGKILL');
    const pending = redis.ping();
    await expect(pending).rejects.toThrow(/Connection is closed/);
    expect(redis.status).toBe('end');
  });

  it('still says at once that Redis is not there when the first connect fails', async () => {
    server = await startRedis();
    const { url } = server;
    await server.stop();
    server = undefined;
    await expect(connectRedis(loadRuntimeSettings({ ELASTIQ_REDIS_URL: url }).redis, 'command')).rejects.toThrow(/^cannot reach Redis at .* \(ECONNREFUSED\)$/);
  });
});
