import type { CloudInstance, CloudProvider } from '@elastiq/cloud';
import type { GenerationState } from './generation-state';

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
