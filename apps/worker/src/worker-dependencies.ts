import type { CloudProvider } from '@elastiq/cloud';
import type { ClusterDict } from '@elastiq/core';
import type { FleetQueues } from '@elastiq/queue';
import type { SetupProvider } from '@elastiq/setup';
import type { ProbeResult, ProbeTarget } from '@elastiq/ssh';
import type { ClusterRepository } from '@elastiq/store';
import type { RedisConnection } from '@elastiq/redis';
import type { Logger } from 'pino';
import type { CloudOwner } from './cloud-factory';
import type { FleetTuning } from './fleet-tuning';

/**
 * Everything a processor touches, injected: production wires EC2, ssh2 and Ansible; tests wire
 * the same real implementations against cloud-sim and local sshd's. Nothing here is global.
 */
export interface WorkerDependencies {
  redis: RedisConnection;
  /** The runtime queuePrefix; fleet keys live under it too. */
  prefix: string;
  queues: FleetQueues;
  repository: ClusterRepository;
  /** The cloud of a cluster, from the settings in its record (credentials resolved here, never stored). */
  cloudFor(cluster: CloudOwner): CloudProvider;
  probe(target: ProbeTarget): Promise<ProbeResult>;
  setupFor(cluster: ClusterDict): SetupProvider;
  log: Logger;
  tuning: FleetTuning;
}
