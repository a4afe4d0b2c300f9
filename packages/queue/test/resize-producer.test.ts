import { ClusterBusy, type ClusterDict, ClusterNotFound, NodeNotFound } from '@elastiq/core';
import { MemoryClusterRepository } from '@elastiq/store';
import { type RunningRedis, startRedis } from '@elastiq/testing';
import { Redis } from 'ioredis';
import { clusterShrinkJobId, coordinatorJobId, FleetProducer, generationKeys, nodeStartJobId, parseResizePlan } from '../src';

function readyCluster(name: string): ClusterDict {
  const node = (n: string) => ({
    name: n, clusterName: name, kind: 'compute', imageId: 'ami-sim', imageUser: 'elastiq', imageUserdata: '', flavor: 't3.micro',
    securityGroup: 'default', userKeyName: 'k', userKeyPublic: '/keys/id.pub', userKeyPrivate: '/keys/id', sshProxyCommand: '',
    instanceId: `i-${n}`, ips: [], preferredIp: null, extra: {}, state: 'up' as const, lastError: null, hostKey: null, sshPort: 22, setupStatus: null,
  });
  return {
    name, template: 't', availabilityZone: '', startTimeout: 600, sshProbeTimeout: 5, sshProxyCommand: '', sshTo: null, threadPoolMaxSize: 10,
    userKeyName: 'k', userKeyPublic: '/keys/id.pub', userKeyPrivate: '/keys/id', nodes: { compute: [node('compute001'), node('compute003')] },
    pausedNodes: {}, extra: {}, status: 'ready', statusReason: 'all 2 nodes up', generation: 1, minNodes: { compute: 1 }, cloud: null, startDeadline: null,
    createdAt: '', updatedAt: '',
  };
}

describe('FleetProducer resize', () => {
  let redis: RunningRedis;
  let client: Redis;
  let producer: FleetProducer;
  let repository: MemoryClusterRepository;
  let prefix: string;

  beforeAll(async () => {
    redis = await startRedis();
    client = new Redis(redis.url, { maxRetriesPerRequest: null });
  });
  beforeEach(async () => {
    repository = new MemoryClusterRepository();
    prefix = `p${Math.random().toString(36).slice(2)}`;
    producer = new FleetProducer({ connection: client, prefix, repository });
    await repository.save(readyCluster('c1'), null);
  });
  afterEach(() => producer.close());
  afterAll(async () => {
    client.disconnect();
    await redis.stop();
  });

  const added = () => ({ ...readyCluster('c1').nodes.compute[0], name: 'compute002', instanceId: null, state: 'new' as const });

  it('grows as a new generation: the plan first, the old nodes stamped with theirs, node-start jobs only for the added node', async () => {
    const started = await producer.growCluster({ name: 'c1', add: [added()], min: { compute: 1 }, runSetup: true, summary: '+1 compute' });

    expect(started.generation).toBe(2);
    const record = (await repository.get('c1'))!.value;
    expect(record).toMatchObject({ status: 'resizing', generation: 2 });
    expect(record.nodes.compute.map((node) => [node.name, node.generation, node.state, node.instanceId])).toEqual([
      ['compute001', 1, 'up', 'i-compute001'],
      ['compute003', 1, 'up', 'i-compute003'],
      ['compute002', 2, 'new', null],
    ]);
    expect(parseResizePlan(await client.get(generationKeys(prefix, 'c1', 2).plan))).toMatchObject({ action: 'grow', previousStatus: 'ready', min: { compute: 1 } });
    expect(await producer.queues.nodeStart.getJob(nodeStartJobId('c1', 2, 'compute002'))).toBeDefined();
    expect(await producer.queues.nodeStart.getJob(nodeStartJobId('c1', 2, 'compute001'))).toBeUndefined();
    expect((await producer.queues.clusterCoordinator.getJob(coordinatorJobId('c1', 2)))?.name).toBe('resize c1 +1 compute gen 2');
  });

  it('shrinks through one cluster-shrink job, the removed nodes marked terminating', async () => {
    const started = await producer.shrinkCluster({ name: 'c1', remove: ['compute003'], runSetup: false, summary: '-1 compute' });

    const record = (await repository.get('c1'))!.value;
    expect(record.nodes.compute.map((node) => [node.name, node.state])).toEqual([['compute001', 'up'], ['compute003', 'terminating']]);
    expect((await producer.queues.clusterShrink.getJob(clusterShrinkJobId('c1', started.generation)))?.name).toBe('resize c1 -1 compute gen 2');
  });

  it('refuses a busy cluster, an unknown cluster and an unknown node, changing nothing', async () => {
    await producer.growCluster({ name: 'c1', add: [added()], min: { compute: 1 }, runSetup: false, summary: '+1 compute' });
    const busy = producer.shrinkCluster({ name: 'c1', remove: ['compute001'], runSetup: false, summary: '-1 compute' });
    await expect(busy).rejects.toThrow(ClusterBusy);
    await expect(busy).rejects.toMatchObject({ exitCode: 75, message: 'cluster `c1` is resizing: it cannot be resized now' });
    await expect(producer.growCluster({ name: 'nope', add: [], min: {}, runSetup: false, summary: '' })).rejects.toThrow(ClusterNotFound);
    await repository.save(readyCluster('c2'), null);
    await expect(producer.shrinkCluster({ name: 'c2', remove: ['compute042'], runSetup: false, summary: '' })).rejects.toThrow(NodeNotFound);
    expect((await repository.get('c2'))!.value).toMatchObject({ status: 'ready', generation: 1 });
  });
});
