import { join } from 'node:path';
import { loadRuntimeSettings } from '@elastiq/config';
import { makeTempDir, makeTlsCertificate, type RunningRedis, startRedis, type TempDir, type TlsCertificate } from '@elastiq/testing';
import { connectRedis, type RedisConnection } from '../src';

// Real servers: a TLS-only redis-server with a throwaway CA and an ACL user (the default user
// switched off), connected to through the settings a user would write in the environment.
jest.setTimeout(60_000);

const user = { name: 'fleet', password: 'fleet-redis-password' };

describe('connectRedis to a TLS Redis with an ACL user', () => {
  let dir: TempDir;
  let certificate: TlsCertificate;
  let server: RunningRedis;
  const open: RedisConnection[] = [];

  const connect = async (env: Record<string, string>) => {
    const connection = await connectRedis(loadRuntimeSettings(env).redis, 'command');
    open.push(connection);
    return connection;
  };

  beforeAll(async () => {
    dir = await makeTempDir('redis-tls');
    certificate = await makeTlsCertificate(dir.path);
    server = await startRedis({ tls: certificate, user });
  });
  afterAll(async () => {
    for (const connection of open) connection.disconnect();
    await server?.stop();
    await dir?.cleanup();
  });

  it('connects with rediss://user:password@ and the CA named by ELASTIQ_REDIS_TLS_CA_FILE', async () => {
    expect(server.url).toBe(`rediss://fleet:fleet-redis-password@127.0.0.1:${server.port}`);
    const redis = await connect({ ELASTIQ_REDIS_URL: server.url, ELASTIQ_REDIS_TLS_CA_FILE: certificate.caFile });
    expect(await redis.call('ACL', 'WHOAMI')).toBe('fleet');
    expect(await redis.set('tls-check', 'yes')).toBe('OK');
  });

  it('refuses a server certificate it cannot verify, in one line without the password', async () => {
    const attempt = connect({ ELASTIQ_REDIS_URL: server.url });
    await expect(attempt).rejects.toThrow(
      new RegExp(`^cannot reach Redis at rediss://fleet:\\*\\*\\*@127\\.0\\.0\\.1:${server.port} \\((SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT_LOCALLY)\\)$`),
    );
    await expect(attempt).rejects.not.toThrow(/fleet-redis-password/);
  });

  it('skips verification only when ELASTIQ_REDIS_TLS_INSECURE is set', async () => {
    const redis = await connect({ ELASTIQ_REDIS_URL: server.url, ELASTIQ_REDIS_TLS_INSECURE: 'true' });
    expect(await redis.ping()).toBe('PONG');
  });

  it('says the password is wrong, without showing it', async () => {
    const url = `rediss://fleet:not-the-password@127.0.0.1:${server.port}`;
    const attempt = connect({ ELASTIQ_REDIS_URL: url, ELASTIQ_REDIS_TLS_CA_FILE: certificate.caFile });
    await expect(attempt).rejects.toThrow(/^cannot reach Redis at rediss:\/\/fleet:\*\*\*@127\.0\.0\.1:\d+ \(WRONGPASS/);
    await expect(attempt).rejects.not.toThrow(/not-the-password/);
  });

  it('names the variable when the CA file cannot be read', async () => {
    const missing = join(dir.path, 'no-such-ca.pem');
    await expect(connect({ ELASTIQ_REDIS_URL: server.url, ELASTIQ_REDIS_TLS_CA_FILE: missing })).rejects.toThrow(
      `ELASTIQ_REDIS_TLS_CA_FILE: cannot read ${missing} (ENOENT): check the path and its permissions`,
    );
  });

  it('cannot be reached in plain text: the server only speaks TLS', async () => {
    const plain = server.url.replace(/^rediss:/, 'redis:');
    await expect(connect({ ELASTIQ_REDIS_URL: plain })).rejects.toThrow(/^cannot reach Redis at redis:\/\/fleet:\*\*\*@/);
  });
});
