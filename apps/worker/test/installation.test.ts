import { installationIdKey, launchedCloudsKey, parseLaunchedCloudMember } from '@elastiq/queue';
import { installationIdFor } from '../src/installation';
import { useTwoWorkerConnections } from './support/two-workers-redis';

// The installation id tags every launch; gc trusts it to tell this installation's instances from
// anyone else's, so it must be one id for every worker, for good.

describe('the installation id', () => {
  const redis = useTwoWorkerConnections();
  const cloud = { ec2Url: 'http://127.0.0.1:4566', ec2Region: 'sim-1', credentialSource: 'env' };

  it('is created once: two workers launching at the same moment get the same id', async () => {
    const ids = await Promise.all(redis.clients.map((client) => installationIdFor(client, 'once', cloud)));

    expect(ids[0]).toMatch(/^[0-9a-f-]{36}$/);
    expect(ids[1]).toBe(ids[0]);
    expect(await redis.clients[0].get(installationIdKey('once'))).toBe(ids[0]);
  });

  it('is one per queue prefix: another installation on the same Redis has its own', async () => {
    const [a, b] = await Promise.all([installationIdFor(redis.clients[0], 'first'), installationIdFor(redis.clients[0], 'second')]);
    expect(a).not.toBe(b);
  });

  it('remembers every cloud a launch went to, once each, credential source and not credentials', async () => {
    await installationIdFor(redis.clients[0], 'clouds', cloud);
    await installationIdFor(redis.clients[1], 'clouds', cloud);
    await installationIdFor(redis.clients[0], 'clouds', { ...cloud, ec2Region: 'sim-2' });
    await installationIdFor(redis.clients[0], 'clouds');

    const members = await redis.clients[0].smembers(launchedCloudsKey('clouds'));
    expect(members.map(parseLaunchedCloudMember).sort((x, y) => x.ec2Region.localeCompare(y.ec2Region))).toEqual([cloud, { ...cloud, ec2Region: 'sim-2' }]);
  });

  it('survives the key being lost while a worker runs: the worker writes back the id it launched with', async () => {
    const before = await installationIdFor(redis.clients[0], 'restored', cloud);
    await redis.clients[1].del(installationIdKey('restored'));

    expect(await installationIdFor(redis.clients[0], 'restored', cloud)).toBe(before);
    expect(await installationIdFor(redis.clients[1], 'restored', cloud)).toBe(before);
  });
});
