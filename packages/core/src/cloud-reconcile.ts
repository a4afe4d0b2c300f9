import type { Cluster } from './cluster';
import type { NodeState } from './cluster-dict';

// `elastiq update` (reference API: Cluster.update): the record is compared with one listing of
// every instance that carries the cluster's tag, and brought in line with it. Pure: the fleet
// does the DescribeInstances and saves the record.

/** What the decision needs of an instance the cloud lists (the cloud package's CloudInstance fits). */
export interface ListedInstance {
  instanceId: string;
  state: 'pending' | 'running' | 'stopping' | 'stopped' | 'shutting-down' | 'terminated';
  privateIp: string | null;
  publicIp: string | null;
  tags: Record<string, string>;
  /** StateReason.Code of an ended or stopped instance (Server.SpotInstanceTermination: the spot market took it). */
  stateReason?: string | null;
}

export const SPOT_INTERRUPTION = 'Server.SpotInstanceTermination';

/** Why a node's instance is no longer there, as a person reads it: a spot interruption says so. */
export function endedInstanceReason(instanceId: string, instance: Pick<ListedInstance, 'state' | 'stateReason'>, outside = false): string {
  if (instance.stateReason === SPOT_INTERRUPTION) return `instance ${instanceId} was interrupted by the spot market (${SPOT_INTERRUPTION}) and is ${instance.state}`;
  const why = instance.stateReason ? ` (${instance.stateReason})` : '';
  return `instance ${instanceId} is ${instance.state}${why}${outside ? ': terminated outside elastiq' : ''}`;
}

export interface NodeChange {
  node: string;
  from: NodeState;
  to: NodeState;
  /** The connection address changed (setup and known_hosts used the old one). */
  addressChanged: boolean;
}

export interface StrayInstance {
  instanceId: string;
  state: ListedInstance['state'];
  /** The instance's own claims, from its tags (absent when untagged). */
  node: string | null;
  generation: string | null;
  ip: string | null;
}

export interface CloudReconciliation {
  changes: NodeChange[];
  /** Nodes whose instance the cloud no longer has, with why. */
  gone: { node: string; reason: string }[];
  /** Instances tagged with the cluster that no node of the record owns. */
  strays: StrayInstance[];
}

const ENDED = new Set<ListedInstance['state']>(['shutting-down', 'terminated']);
/** Nodes whose state the cloud listing must not overwrite: elastiq is ending them itself. */
const LEFT_ALONE = new Set<NodeState>(['terminating', 'terminated', 'gone']);

function stateFromCloud(current: NodeState, cloudState: ListedInstance['state']): NodeState {
  switch (cloudState) {
    case 'running':
      // Only an SSH handshake makes a node up; the listing can only confirm it is still running.
      return current === 'up' ? 'up' : 'running';
    case 'pending':
      return 'pending';
    default:
      return 'paused';
  }
}

/**
 * Brings every node of `cluster` in line with `instances` (one tag-filtered listing of the whole
 * cluster): state and addresses from the cloud, `gone` with the reason for an instance the cloud
 * no longer has. A `ready` cluster that lost a node becomes `degraded`, naming it.
 */
export function reconcileWithCloud(cluster: Cluster, instances: readonly ListedInstance[]): CloudReconciliation {
  const byId = new Map(instances.map((instance) => [instance.instanceId, instance]));
  const owned = new Set<string>();
  const changes: NodeChange[] = [];
  const gone: CloudReconciliation['gone'] = [];
  for (const node of cluster.getAllNodes()) {
    if (node.instanceId === null) continue;
    owned.add(node.instanceId);
    if (LEFT_ALONE.has(node.state)) continue;
    const instance = byId.get(node.instanceId);
    const from = node.state;
    if (instance === undefined || ENDED.has(instance.state)) {
      const reason =
        instance === undefined
          ? `instance ${node.instanceId} is no longer listed by the cloud (terminated outside elastiq)`
          : endedInstanceReason(node.instanceId, instance, instance.stateReason !== SPOT_INTERRUPTION);
      node.state = 'gone';
      node.lastError = reason;
      gone.push({ node: node.name, reason });
      changes.push({ node: node.name, from, to: 'gone', addressChanged: false });
      continue;
    }
    node.state = stateFromCloud(from, instance.state);
    const ips = [instance.privateIp, instance.publicIp].filter((ip): ip is string => ip !== null);
    const addressChanged = instance.state === 'running' && node.updateIps(ips, instance.publicIp ?? instance.privateIp);
    if (node.state !== from || addressChanged) changes.push({ node: node.name, from, to: node.state, addressChanged });
  }
  const strays = instances
    .filter((instance) => !owned.has(instance.instanceId) && !ENDED.has(instance.state))
    .map((instance) => ({
      instanceId: instance.instanceId,
      state: instance.state,
      node: instance.tags['elastiq:node'] ?? null,
      generation: instance.tags['elastiq:generation'] ?? null,
      ip: instance.publicIp ?? instance.privateIp,
    }));
  if (gone.length > 0 && cluster.status === 'ready') {
    cluster.status = 'degraded';
    cluster.statusReason = `update: ${gone.map((entry) => `${entry.node} gone`).join(', ')}`;
  }
  return { changes, gone, strays };
}
