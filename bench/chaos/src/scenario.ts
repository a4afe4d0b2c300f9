import type { ClusterDict } from '@elastiq/core';
import type { ChaosInstance } from './chaos-cloud-sim';
import type { ChaosFleet, FleetSpec } from './chaos-fleet';
import type { Random } from './random';

// What a scenario is: how the fleet is set up, what the chaos does while the start, the step
// after it and the stop run, and what the right outcome is. The runner (run-scenario.ts) does
// the rest the same way for every scenario and checks it against cloud-sim's inventory.

export interface RunContext {
  fleet: ChaosFleet;
  random: Random;
  /** The cluster's name (unique per run). */
  name: string;
  /** Nodes the start asks for. */
  nodes: number;
  /** What happened, for the JSON: kill moments, victims, exit codes. */
  events: string[];
  /** What a scenario's own steps found wrong (a CLI's exit code); any makes the run incorrect. */
  problems: string[];
}

export interface Scenario {
  name: string;
  /** One line for the table and the docs. */
  what: string;
  fleet?: Partial<Pick<FleetSpec, 'appendfsync' | 'bootDelay' | 'simFaults'>>;
  cluster?: { frontendMin?: number; computeMin?: number; startTimeout?: number; setup?: boolean };
  /** Enqueues the start; the default is the producer API with the cluster above. */
  start?(run: RunContext, cluster: ClusterDict): Promise<void>;
  /** Faults while the start runs (awaited before the outcome is judged). */
  duringStart?(run: RunContext): Promise<void>;
  /** A step after the start settled (resize, update); returns how many more instances it launches. */
  afterStart?(run: RunContext, settled: ClusterDict): Promise<number>;
  /** Faults while the stop runs. */
  duringStop?(run: RunContext): Promise<void>;
  /** Why the record after the start (and afterStart) is wrong, or null when it is right. */
  judge?(run: RunContext, record: ClusterDict, instances: ChaosInstance[]): string | null;
}

export const SETTLED = (cluster: ClusterDict) => !['starting', 'setting-up', 'resizing'].includes(cluster.status);

/** The default verdict: ready, every node up, on an instance of its own that is running. */
export function allUp(run: RunContext, record: ClusterDict, instances: ChaosInstance[], expectedNodes = run.nodes): string | null {
  if (record.status !== 'ready') return `status ${record.status}${record.statusReason ? ` (${record.statusReason})` : ''}, expected ready`;
  return nodesOnLiveInstances(record, instances, expectedNodes, expectedNodes);
}

/** Every node of the record is up on a distinct running instance, and no other instance lives. */
export function nodesOnLiveInstances(record: ClusterDict, instances: ChaosInstance[], minUp: number, maxUp: number): string | null {
  const nodes = Object.values(record.nodes).flat();
  const up = nodes.filter((node) => node.state === 'up');
  if (up.length < minUp || up.length > maxUp) return `${up.length} nodes up, expected ${minUp === maxUp ? minUp : `${minUp}-${maxUp}`}`;
  const running = new Set(instances.filter((instance) => instance.state === 'running').map((instance) => instance.instanceId));
  const notRunning = up.filter((node) => node.instanceId === null || !running.has(node.instanceId));
  if (notRunning.length > 0) return `up but not on a running instance: ${notRunning.map((node) => node.name).join(', ')}`;
  if (new Set(up.map((node) => node.instanceId)).size !== up.length) return 'two nodes share an instance';
  return null;
}

export async function sleep(ms: number): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, ms));
}
