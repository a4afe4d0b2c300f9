import type { CloudProvider } from '@elastiq/cloud';
import type { RunningCloudSim } from '@elastiq/cloud-sim';
import type { ClusterDict, NodeDict } from '@elastiq/core';
import { FleetProducer, type JobOptionsOverrides, openFleetQueues } from '@elastiq/queue';
import { probeNode } from '@elastiq/ssh';
import type { ClusterRepository } from '@elastiq/store';
import type { SshKeyPair } from '@elastiq/testing';
import type { Redis } from 'ioredis';
import pino from 'pino';
import { createCloudFactory, DEFAULT_FLEET_TUNING, EC2_RATE_LIMITS, noSetupProvider, RedisTokenBucket, startFleetWorker } from '../../src';
import type { FleetTuning } from '../../src/fleet-tuning';

// A producer and a worker in the test's process, on a real Redis, real cloud-sim and real SSH
// probes; the test may wrap the worker's store or cloud to inject a fault.

export interface InProcessFleetOptions {
  client: Redis;
  sim: RunningCloudSim;
  repository: ClusterRepository;
  /** The store the worker sees (default: the producer's). */
  workerRepository?: ClusterRepository;
  /** Wraps the worker's real cloud. */
  wrapCloud?: (cloud: CloudProvider) => CloudProvider;
  jobOptions?: JobOptionsOverrides;
  tuning?: Partial<FleetTuning>;
}

export function startInProcessFleet(options: InProcessFleetOptions) {
  const { client, sim, repository } = options;
  const prefix = `t${Math.random().toString(36).slice(2)}`;
  const log = pino({ level: 'silent' });
  const producer = new FleetProducer({ connection: client, prefix, repository, ...(options.jobOptions ? { jobOptions: options.jobOptions } : {}) });
  const queues = openFleetQueues(client, prefix);
  const realCloud = createCloudFactory({
    environmentCredentials: { accessKeyId: 'AKIDSPEC', secretAccessKey: 'spec-secret-not-real' },
    buckets: new RedisTokenBucket(client, prefix),
    limits: EC2_RATE_LIMITS,
    log,
  });
  const wrapped = new Map<CloudProvider, CloudProvider>();
  const fleet = startFleetWorker(
    {
      redis: client,
      prefix,
      queues,
      repository: options.workerRepository ?? repository,
      cloudFor: (cluster) => {
        const cloud = realCloud(cluster);
        if (!options.wrapCloud) return cloud;
        if (!wrapped.has(cloud)) wrapped.set(cloud, options.wrapCloud(cloud));
        return wrapped.get(cloud) as CloudProvider;
      },
      probe: probeNode,
      setupFor: () => noSetupProvider,
      log,
      tuning: { ...DEFAULT_FLEET_TUNING, probeFirstDelayMs: 200, probeIntervalMs: 200, probeMaxDelayMs: 1000, describeMaxAgeMs: 300, ...options.tuning },
    },
    { connection: client },
  );
  return {
    producer,
    cloud: { provider: 'ec2' as const, ec2Url: sim.endpoint, ec2Region: sim.region, credentialSource: 'env', vpc: null },
    async stop() {
      await fleet.close();
      await queues.close();
      await producer.close();
    },
  };
}

/** A cluster of `count` compute nodes as the CLI builds it (keys by path). */
export function computeCluster(name: string, keys: SshKeyPair, count: number): ClusterDict {
  const node = (index: number): NodeDict => ({
    name: `compute${String(index).padStart(3, '0')}`, clusterName: name, kind: 'compute', imageId: 'ami-sim', imageUser: 'elastiq', imageUserdata: '',
    flavor: 't3.micro', securityGroup: 'default', userKeyName: 'elastiq-spec', userKeyPublic: keys.publicKeyPath, userKeyPrivate: keys.privateKeyPath,
    sshProxyCommand: '', instanceId: null, ips: [], preferredIp: null, extra: {}, state: 'new', lastError: null, hostKey: null, sshPort: 22, setupStatus: null,
  });
  return {
    name, template: 'spec', availabilityZone: '', startTimeout: 60, sshProbeTimeout: 5, sshProxyCommand: '', sshTo: null, threadPoolMaxSize: 10,
    userKeyName: 'elastiq-spec', userKeyPublic: keys.publicKeyPath, userKeyPrivate: keys.privateKeyPath,
    nodes: { compute: Array.from({ length: count }, (_, index) => node(index + 1)) }, pausedNodes: {}, extra: {}, status: 'starting', statusReason: null,
    generation: 1, minNodes: { compute: count }, cloud: null, startDeadline: null, createdAt: '', updatedAt: '',
  };
}
