import type { ClusterDict, NodeDict } from '@elastiq/core';
import type { RedisConnection } from '@elastiq/redis';
import { generationKeys } from './fleet-keys';
import type { StartedCluster } from './fleet-producer';
import type { FleetQueues } from './fleet-queues';
import { coordinatorJobId, nodeStartJobId } from './job-ids';
import { nodeStartJobName } from './job-names';
import { type CoordinatorPayload, type NodeStartPayload, PAYLOAD_VERSION } from './payloads';
import { nodesOfGeneration } from './resize-plan';

// Enqueueing shared by a start and a resize (fleet-producer.ts, resize-producer.ts).

/**
 * The jobs of a generation that launches nodes (a start, or a resize that adds nodes): one
 * node-start job per node of the generation, and its coordinator delayed until the deadline (node
 * jobs promote it as soon as the outcome is certain). Adding them twice is a no-op (job ids).
 */
export async function enqueueGeneration(
  queues: FleetQueues,
  redis: RedisConnection,
  prefix: string,
  record: ClusterDict,
  { runSetup, jobName }: { runSetup: boolean; jobName: string },
): Promise<StartedCluster> {
  const { name, generation } = record;
  const deadline = record.startDeadline === null ? Date.now() + record.startTimeout * 1000 : Date.parse(record.startDeadline);
  await redis.set(generationKeys(prefix, name, generation).deadline, String(deadline), 'NX');
  const nodes = nodesOfGeneration(record, generation);
  await queues.nodeStart.addBulk(
    nodes.map((node) => {
      const data: NodeStartPayload = { v: PAYLOAD_VERSION, cluster: name, generation, node: node.name, kind: node.kind };
      return { name: nodeStartJobName(name, node.name), data, opts: { jobId: nodeStartJobId(name, generation, node.name) } };
    }),
  );
  const coordinator: CoordinatorPayload = { v: PAYLOAD_VERSION, cluster: name, generation, runSetup, sweep: 0 };
  await queues.clusterCoordinator.add(jobName, coordinator, { jobId: coordinatorJobId(name, generation), delay: Math.max(0, deadline - Date.now()) });
  return { name, generation, deadline, nodeCount: nodes.length };
}

/** A node not launched yet, of the generation that is going to launch it. */
export function freshNode(node: NodeDict, generation: number): NodeDict {
  return { ...node, state: 'new', instanceId: null, ips: [], preferredIp: null, lastError: null, hostKey: null, setupStatus: null, generation };
}
