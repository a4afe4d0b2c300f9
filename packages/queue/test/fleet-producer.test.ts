import { ClusterExists, type ClusterDict } from '@elastiq/core';
import { MemoryClusterRepository } from '@elastiq/store';
import { type RunningRedis, startRedis } from '@elastiq/testing';
import { Redis } from 'ioredis';
import { coordinatorJobId, FleetProducer, generationKeys, nodeStartJobId } from '../src';

function clusterDict(name: string): ClusterDict {
  const node = (n: string) => ({
    name: n, clusterName: name, kind: 'compute', imageId: 'ami-sim', imageUser: 'elastiq', imageUserdata: '', flavor: 't3.micro',
    securityGroup: 'default', userKeyName: 'k', userKeyPublic: '/keys/id.pub', userKeyPrivate: '/keys/id', sshProxyCommand: '',
    instanceId: null, ips: [], preferredIp: null, extra: {}, state: 'new' as const, lastError: null, hostKey: null, sshPort: 22, setupStatus: null,
  });
  return {
    name, template: 't', availabilityZone: '', startTimeout: 600, sshProbeTimeout: 5, sshProxyCommand: '', sshTo: null, threadPoolMaxSize: 10,
    userKeyName: 'k', userKeyPublic: '/keys/id.pub', userKeyPrivate: '/keys/id', nodes: { compute: [node('compute001'), node('compute002')] },
    pausedNodes: {}, extra: {}, status: 'starting', statusReason: null, generation: 1, minNodes: { compute: 1 }, cloud: null, startDeadline: null,
    createdAt: '', updatedAt: '',
  };
}

const cloud = { provider: 'ec2' as const, ec2Url: 'http://127.0.0.1:1', ec2Region: 'us-east-1', credentialSource: 'env', vpc: null };

describe('FleetProducer', () => {
  let redis: RunningRedis;
  let client: Redis;
  let producer: FleetProducer;
  let repository: MemoryClusterRepository;
  let prefix: string;

  beforeAll(async () => {
    redis = await startRedis();
    client = new Redis(redis.url, { maxRetriesPerRequest: null });
  });
  beforeEach(() => {
    repository = new MemoryClusterRepository();
    prefix = `p${Math.random().toString(36).slice(2)}`;
    producer = new FleetProducer({ connection: client, prefix, repository });
  });
  afterEach(() => producer.close());
  afterAll(async () => {
    client.disconnect();
    await redis.stop();
  });

  it('writes the record (starting, every node new, the cloud settings) and one node-start job per node plus the delayed coordinator', async () => {
    const started = await producer.startCluster({ cluster: clusterDict('c1'), cloud });
    const record = (await repository.get('c1'))!.value;
    expect(record).toMatchObject({ status: 'starting', generation: started.generation, cloud });
    expect(Date.parse(record.startDeadline!)).toBe(started.deadline);
    const job = await producer.queues.nodeStart.getJob(nodeStartJobId('c1', started.generation, 'compute002'));
    expect(job?.data).toEqual({ v: 1, cluster: 'c1', generation: started.generation, node: 'compute002', kind: 'compute' });
    expect(await producer.queues.clusterCoordinator.getDelayedCount()).toBe(1);
  });

  it('names jobs so that a person can read them in Bull Board, keeping the deterministic ids', async () => {
    const { generation } = await producer.startCluster({ cluster: clusterDict('demo'), cloud });
    expect((await producer.queues.nodeStart.getJob(nodeStartJobId('demo', generation, 'compute002')))?.name).toBe('start demo/compute002');
    expect((await producer.queues.clusterCoordinator.getJob(coordinatorJobId('demo', generation)))?.name).toBe(`coordinate demo gen ${generation}`);
    const { jobId } = await producer.stopCluster('demo');
    expect((await producer.queues.clusterStop.getJob(jobId))?.name).toBe('stop demo');
  });

  it('refuses a second start of a cluster that is starting', async () => {
    await producer.startCluster({ cluster: clusterDict('c2'), cloud });
    await expect(producer.startCluster({ cluster: clusterDict('c2'), cloud })).rejects.toThrow(ClusterExists);
  });

  it('finishes a start whose record another producer wrote but whose jobs are not all enqueued, and says it only resumed it', async () => {
    const recorded = { ...clusterDict('c4'), generation: 7 };
    await repository.save(recorded, null);
    const resumed = await producer.startCluster({ cluster: clusterDict('c4'), cloud });
    expect(resumed).toMatchObject({ name: 'c4', generation: 7, resumed: true });
    expect(await producer.queues.clusterCoordinator.getJob(coordinatorJobId('c4', 7))).toBeDefined();
    expect(await producer.queues.nodeStart.getJob(nodeStartJobId('c4', 7, 'compute001'))).toBeDefined();
    // A start that began it is not "resumed".
    const fresh = await producer.startCluster({ cluster: clusterDict('c5'), cloud });
    expect(fresh.resumed).toBeUndefined();
  });

  it('of two starts of one name at once, one begins it and the other is refused with ClusterExists (one generation enqueued)', async () => {
    const outcomes = await Promise.allSettled([0, 1].map(() => producer.startCluster({ cluster: clusterDict('c6'), cloud })));
    const began = outcomes.filter((outcome) => outcome.status === 'fulfilled' && outcome.value.resumed === undefined);
    const others = outcomes.filter((outcome) => !began.includes(outcome));
    expect(began).toHaveLength(1);
    for (const other of others) {
      if (other.status === 'rejected') expect(other.reason).toBeInstanceOf(ClusterExists);
      else expect(other.value.resumed).toBe(true);
    }
    const { generation } = (await repository.get('c6'))!.value;
    const jobs = await producer.queues.nodeStart.getJobs(['waiting', 'delayed', 'prioritized']);
    expect(new Set(jobs.map((job) => job.data.generation))).toEqual(new Set([generation]));
  });

  it('never reuses a generation, even after the record was deleted (job ids and cloud tags contain it)', async () => {
    const first = await producer.startCluster({ cluster: clusterDict('c3'), cloud });
    await repository.delete('c3');
    const second = await producer.startCluster({ cluster: clusterDict('c3'), cloud });
    expect(second.generation).toBeGreaterThan(first.generation);
  });

  it('stop stores the "stopped" decision so that the start in progress stands down, and enqueues one stop job however often it is asked', async () => {
    const started = await producer.startCluster({ cluster: clusterDict('c4'), cloud });
    const first = await producer.stopCluster('c4');
    const second = await producer.stopCluster('c4');
    expect(second.jobId).toBe(first.jobId);
    expect(await producer.queues.clusterStop.getWaitingCount()).toBe(1);
    const decision = JSON.parse((await client.get(generationKeys(prefix, 'c4', started.generation).decision))!);
    expect(decision.decision).toBe('stopped');
    expect((await repository.get('c4'))!.value.status).toBe('stopping');
  });
});
