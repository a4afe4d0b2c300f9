import type { CloudInstance, CloudProvider } from '@elastiq/cloud';
import type { ClusterDict } from '@elastiq/core';
import { generationOf, type ResizePlan, type StoredDecision, updateRecord } from '@elastiq/queue';
import { GenerationState } from './generation-state';
import type { WorkerDependencies } from './worker-dependencies';

const FINAL_STATES = new Set<CloudInstance['state']>(['terminated', 'shutting-down']);

/**
 * Terminates every instance the *cloud* reports for the cluster (one generation, or all), plus
 * those the fleet recorded: a worker may have launched and died before writing anything, and the
 * cloud's tags (set at launch, atomically) are the only record that cannot be missing.
 * Returns the ids that were still alive.
 */
export async function terminateEverything(
  cloud: CloudProvider,
  clusterName: string,
  generation: number | undefined,
  recorded: string[] = [],
): Promise<{ terminated: string[]; seen: CloudInstance[] }> {
  const seen = await cloud.describeCluster(clusterName, generation);
  const alive = seen.filter((instance) => !FINAL_STATES.has(instance.state)).map((instance) => instance.instanceId);
  const listed = new Set(seen.map((instance) => instance.instanceId));
  // Recorded ids the describe did not list yet (eventual consistency right after a launch).
  const unlisted = recorded.filter((id) => !listed.has(id));
  const terminated = [...new Set([...alive, ...unlisted])];
  if (terminated.length > 0) await cloud.terminate(terminated);
  return { terminated, seen };
}

export async function recordedInstances(state: GenerationState): Promise<string[]> {
  return Object.values(await state.instances());
}

export function stillAlive(instances: CloudInstance[]): CloudInstance[] {
  return instances.filter((instance) => instance.state !== 'terminated');
}

/**
 * The record of a generation that failed and was rolled back: a start's cluster becomes `failed`;
 * a resize's added nodes leave the record (their names are free) and the cluster gets back the
 * status it had: the nodes of earlier generations are never touched.
 */
export async function recordFailure(deps: WorkerDependencies, record: ClusterDict, decision: StoredDecision): Promise<void> {
  const plan = await new GenerationState(deps.redis, deps.prefix, record.name, record.generation).plan();
  if (plan !== null) return recordResizeFailure(deps, record, decision, plan);
  const instances = await new GenerationState(deps.redis, deps.prefix, record.name, record.generation).instances();
  await updateRecord(deps.repository, record.name, (cluster) => {
    if (cluster.generation !== record.generation || (cluster.status !== 'starting' && cluster.status !== 'failed')) return null;
    cluster.status = 'failed';
    cluster.statusReason = decision.summary;
    cluster.startDeadline = null;
    for (const node of Object.values(cluster.nodes).flat()) {
      const instanceId = instances[node.name] ?? node.instanceId;
      node.instanceId = instanceId ?? null;
      node.state = instanceId ? 'terminated' : 'failed';
      node.lastError = decision.reasons[node.name] ?? 'rolled back: the start failed';
    }
    return cluster;
  });
}

async function recordResizeFailure(deps: WorkerDependencies, record: ClusterDict, decision: StoredDecision, plan: ResizePlan): Promise<void> {
  const generation = record.generation;
  await updateRecord(deps.repository, record.name, (cluster) => {
    if (cluster.generation !== generation || cluster.status !== 'resizing') return null;
    for (const [kind, nodes] of Object.entries(cluster.nodes)) {
      const kept = nodes.filter((node) => generationOf(cluster, node) !== generation);
      // A kind only this resize brought leaves with its nodes.
      if (kept.length === 0 && nodes.length > 0) delete cluster.nodes[kind];
      else cluster.nodes[kind] = kept;
    }
    cluster.status = plan.previousStatus;
    cluster.statusReason = `resize ${plan.summary} (generation ${generation}) was rolled back, the other nodes were not touched: ${decision.summary}`;
    cluster.startDeadline = null;
    return cluster;
  });
}
