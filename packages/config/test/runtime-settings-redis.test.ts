import { loadRuntimeSettings } from '../src';

// How a user points elastiq at a production Redis: every variable is checked when a program
// starts, and a mistake names the variable and how to fix it.

describe('loadRuntimeSettings: the Redis deployment', () => {
  it('reads a rediss:// URL with an ACL user and the TLS files', () => {
    const { redis } = loadRuntimeSettings({
      ELASTIQ_REDIS_URL: 'rediss://fleet:s3cret@redis.example:6380/1',
      ELASTIQ_REDIS_TLS_CA_FILE: '/etc/elastiq/redis-ca.pem',
      ELASTIQ_REDIS_TLS_CERT_FILE: '/etc/elastiq/client.pem',
      ELASTIQ_REDIS_TLS_KEY_FILE: '/etc/elastiq/client.key',
    });
    expect(redis).toEqual({
      url: 'rediss://fleet:s3cret@redis.example:6380/1',
      tls: { caFile: '/etc/elastiq/redis-ca.pem', certFile: '/etc/elastiq/client.pem', keyFile: '/etc/elastiq/client.key', insecure: false },
      topology: { mode: 'standalone' },
    });
  });

  it('reads a Cluster with extra seed nodes and makes the default prefix a hash tag', () => {
    const settings = loadRuntimeSettings({ ELASTIQ_REDIS_CLUSTER: 'true', ELASTIQ_REDIS_CLUSTER_NODES: '10.0.0.2:7000, [::1]:7001' });
    expect(settings.redis.topology).toEqual({ mode: 'cluster', seeds: [{ host: '10.0.0.2', port: 7000 }, { host: '::1', port: 7001 }] });
    expect(settings.queuePrefix).toBe('{elastiq}');
  });

  it('refuses a Cluster prefix without a hash tag: the keys of one script would land in different slots', () => {
    expect(() => loadRuntimeSettings({ ELASTIQ_REDIS_CLUSTER: 'yes', ELASTIQ_QUEUE_PREFIX: 'prod' })).toThrow(
      "ELASTIQ_QUEUE_PREFIX: must be a hash tag such as {prod} with ELASTIQ_REDIS_CLUSTER=true, so that every key of the fleet is in one cluster slot, got 'prod'",
    );
    expect(loadRuntimeSettings({ ELASTIQ_REDIS_CLUSTER: 'yes', ELASTIQ_QUEUE_PREFIX: '{prod}' }).queuePrefix).toBe('{prod}');
  });

  it('reads Sentinel: the sentinels, the master name and the sentinels\' password', () => {
    const { redis } = loadRuntimeSettings({
      ELASTIQ_REDIS_URL: 'redis://:master-pw@ignored:6379/2',
      ELASTIQ_REDIS_SENTINELS: 's1:26379,s2:26379',
      ELASTIQ_REDIS_SENTINEL_MASTER: 'mymaster',
      ELASTIQ_REDIS_SENTINEL_PASSWORD: 'sentinel-pw',
    });
    expect(redis.topology).toEqual({
      mode: 'sentinel',
      sentinels: [{ host: 's1', port: 26379 }, { host: 's2', port: 26379 }],
      masterName: 'mymaster',
      sentinelPassword: 'sentinel-pw',
    });
  });

  it.each([
    [{ ELASTIQ_REDIS_SENTINELS: 's1:26379' }, "ELASTIQ_REDIS_SENTINEL_MASTER: is required with ELASTIQ_REDIS_SENTINELS: the master name of the sentinels' configuration (e.g. mymaster)"],
    [{ ELASTIQ_REDIS_SENTINELS: 's1' }, 'ELASTIQ_REDIS_SENTINELS: `s1` must be HOST:PORT (a comma-separated list of them), got \'s1\''],
    [{ ELASTIQ_REDIS_SENTINELS: 's1:1', ELASTIQ_REDIS_SENTINEL_MASTER: 'm', ELASTIQ_REDIS_CLUSTER: 'true' }, 'ELASTIQ_REDIS_SENTINELS: cannot be used with ELASTIQ_REDIS_CLUSTER=true'],
    [{ ELASTIQ_REDIS_CLUSTER_NODES: 'a:1' }, 'ELASTIQ_REDIS_CLUSTER_NODES: needs ELASTIQ_REDIS_CLUSTER=true'],
    [{ ELASTIQ_REDIS_TLS_CA_FILE: '/ca.pem' }, 'ELASTIQ_REDIS_TLS_CA_FILE: only applies to a rediss:// ELASTIQ_REDIS_URL: use rediss:// or unset it'],
    [{ ELASTIQ_REDIS_URL: 'rediss://h:1', ELASTIQ_REDIS_TLS_CERT_FILE: '/c.pem' }, 'ELASTIQ_REDIS_TLS_KEY_FILE: and ELASTIQ_REDIS_TLS_CERT_FILE go together: set both or neither'],
    [{ ELASTIQ_REDIS_CLUSTER: 'sometimes' }, "ELASTIQ_REDIS_CLUSTER: must be true or false, got 'sometimes'"],
  ])('refuses %j in one line', (env, message) => {
    expect(() => loadRuntimeSettings(env)).toThrow(message);
  });

  it('never shows the password of a rejected Redis URL', () => {
    expect(() => loadRuntimeSettings({ ELASTIQ_REDIS_URL: 'http://fleet:s3cret@host:6379' })).toThrow(
      "ELASTIQ_REDIS_URL: must be a redis:// or rediss:// URL, got 'http://fleet:***@host:6379'",
    );
  });
});
