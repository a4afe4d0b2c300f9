import { type RunningCloudSim, startCloudSim } from '@elastiq/cloud-sim';
import type { ClusterDict, NodeDict } from '@elastiq/core';
import { FleetProducer, openFleetQueues } from '@elastiq/queue';
import { probeNode } from '@elastiq/ssh';
import { type ClusterRepository, MemoryClusterRepository } from '@elastiq/store';
import { generateSshKeyPair, makeTempDir, type RunningRedis, type SshKeyPair, startRedis, type TempDir } from '@elastiq/testing';
import { Redis } from 'ioredis';
import pino from 'pino';
import { createCloudFactory, DEFAULT_FLEET_TUNING, EC2_RATE_LIMITS, noSetupProvider, RedisTokenBucket, startFleetWorker } from '../src';

// The coordinator is the only job that acts on a start's outcome. When it fails for good, the
// start must still end: rolled back and `failed` with the reason, never `starting` for ever with
// instances running. The fault is injected into the store the worker is given.

jest.setTimeout(120_000);

/** A store that refuses to record a started cluster (`ready`, `setting-up`...): the coordinator's decision cannot be saved. */
function refusingStartedClusters(inner: ClusterRepository): ClusterRepository {
  return {
    get: (name) => inner.get(name),
    list: () => inner.list(),
    delete: (name, revision) => inner.delete(name, revision),
    async save(cluster, revision) {
      if (cluster.status !== 'starting' && cluster.status !== 'failed') throw new Error('the store refuses to save the cluster (injected fault)');
      return inner.save(cluster, revision);
    },
  };
}

function clusterDict(name: string, keys: SshKeyPair, count: number): ClusterDict {
  const node = (index: number): NodeDict => ({
    name: `compute${String(index).padStart(3, '0')}`, clusterName: name, kind: 'compute', imageId: 'ami-sim', imageUser: 'elastiq', imageUserdata: '',
    flavor: 't3.micro', securityGroup: 'default', userKeyName: 'elastiq-gives-up', userKeyPublic: keys.publicKeyPath, userKeyPrivate: keys.privateKeyPath,
    sshProxyCommand: '', instanceId: null, ips: [], preferredIp: null, extra: {}, state: 'new', lastError: null, hostKey: null, sshPort: 22, setupStatus: null,
  });
  return {
    name, template: 'spec', availabilityZone: '', startTimeout: 60, sshProbeTimeout: 5, sshProxyCommand: '', sshTo: null, threadPoolMaxSize: 10,
    userKeyName: 'elastiq-gives-up', userKeyPublic: keys.publicKeyPath, userKeyPrivate: keys.privateKeyPath,
    nodes: { compute: Array.from({ length: count }, (_, index) => node(index + 1)) }, pausedNodes: {}, extra: {}, status: 'starting', statusReason: null,
    generation: 1, minNodes: { compute: count }, cloud: null, startDeadline: null, createdAt: '', updatedAt: '',
  };
}

describe('a coordinator that fails for good', () => {
  let redis: RunningRedis;
  let client: Redis;
  let sim: RunningCloudSim;
  let dir: TempDir;
  let keys: SshKeyPair;

  beforeAll(async () => {
    dir = await makeTempDir('coordinator-gives-up');
    redis = await startRedis();
    client = new Redis(redis.url, { maxRetriesPerRequest: null });
    sim = await startCloudSim({ bootDelay: 'fixed:300ms' });
    keys = await generateSshKeyPair(dir.path);
  });
  afterAll(async () => {
    client?.disconnect();
    await sim?.stop();
    await redis?.stop();
    await dir?.cleanup();
  });

  it('rolls the start back like a failed decision and records why, instead of leaving it starting with instances running', async () => {
    const prefix = `t${Math.random().toString(36).slice(2)}`;
    const repository = new MemoryClusterRepository();
    const log = pino({ level: 'silent' });
    // Two quick attempts instead of ten with exponential back-off: the same last attempt, sooner.
    const producer = new FleetProducer({
      connection: client,
      prefix,
      repository,
      jobOptions: { clusterCoordinator: { attempts: 2, backoff: { type: 'fixed', delay: 100 } } },
    });
    const queues = openFleetQueues(client, prefix);
    const fleet = startFleetWorker(
      {
        redis: client,
        prefix,
        queues,
        repository: refusingStartedClusters(repository),
        cloudFor: createCloudFactory({
          environmentCredentials: { accessKeyId: 'AKIDSPEC', secretAccessKey: 'spec-secret-not-real' },
          buckets: new RedisTokenBucket(client, prefix),
          limits: EC2_RATE_LIMITS,
          log,
        }),
        probe: probeNode,
        setupFor: () => noSetupProvider,
        log,
        tuning: { ...DEFAULT_FLEET_TUNING, probeFirstDelayMs: 200, probeMaxDelayMs: 1000, describeMaxAgeMs: 300 },
      },
      { connection: client },
    );
    try {
      const cloud = { provider: 'ec2' as const, ec2Url: sim.endpoint, ec2Region: sim.region, credentialSource: 'env', vpc: null };
      await producer.startCluster({ cluster: clusterDict('abandoned', keys, 2), cloud, runSetup: false });
      const done = await producer.waitForCluster('abandoned', (c) => c.status !== 'starting', { timeoutMs: 90_000 });
      expect(done?.status).toBe('failed');
      expect(done?.statusReason).toMatch(/could not be completed \(coordinator failed after 2 attempt\(s\): the store refuses .*\); its instances were terminated/);
      // Both nodes were launched (the decision was `ready`), and nothing of them is left running.
      const launched = sim.instances().filter((instance) => instance.tags['elastiq:cluster'] === 'abandoned');
      expect(launched).toHaveLength(2);
      expect(launched.filter((instance) => !['shutting-down', 'terminated'].includes(instance.state))).toEqual([]);
    } finally {
      await fleet.close();
      await queues.close();
      await producer.close();
    }
  });
});
