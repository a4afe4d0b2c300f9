import type { Cluster } from './cluster';
import type { ClusterStatus } from './cluster-dict';
import { ClusterBusy } from './errors';
import type { Node } from './node';

// The decisions of a pause and a resume (reference API: Cluster.pause/resume, Node.pause,
// Node.update_ips), kept pure: which nodes' instances to stop or start, what the record says
// next, and whether setup has to run again. Stopping, starting and probing are the fleet's jobs.

/** What a node needs to be restarted: its instance and the addresses it had (`pausedNodes[name]`). */
export interface PausedNode {
  instanceId: string | null;
  ips: string[];
  preferredIp: string | null;
}

export interface PausePlan {
  /** Part of the pause and resume job ids: every pause is a new one. */
  epoch: number;
  /** The instances to stop (StopInstances, in batches). */
  instanceIds: string[];
}

export interface ResumePlan {
  epoch: number;
  /** The instances to start (StartInstances, in batches). */
  instanceIds: string[];
  /** Nodes to probe against their pinned host keys. */
  nodes: string[];
  /** Epoch ms after which a node that is not back is reported as such (start_timeout). */
  deadline: number;
}

export type ResumableStatus = 'ready' | 'degraded' | 'setup-failed';
const PAUSABLE = new Set<ClusterStatus>(['ready', 'degraded', 'setup-failed']);

export function assertPausable(name: string, status: ClusterStatus): asserts status is ResumableStatus {
  if (PAUSABLE.has(status)) return;
  if (status === 'paused' || status === 'pausing') {
    throw new ClusterBusy(name, status, 'be paused', { message: `cluster \`${name}\` is already ${status}`, hint: `resume it with \`elastiq resume ${name}\`` });
  }
  throw new ClusterBusy(name, status, 'be paused', { message: `cluster \`${name}\` is ${status}: only a started cluster can be paused`, hint: waitHint(name, status) });
}

export function assertResumable(name: string, status: ClusterStatus): void {
  if (status === 'paused') return;
  const hint = PAUSABLE.has(status) ? `it is running; \`elastiq pause ${name}\` pauses it` : waitHint(name, status);
  throw new ClusterBusy(name, status, 'be resumed', { message: `cluster \`${name}\` is ${status}: only a paused cluster can be resumed`, hint });
}

function waitHint(name: string, status: ClusterStatus): string {
  switch (status) {
    case 'starting':
    case 'setting-up':
      return `wait until it is ready: \`elastiq watch ${name}\``;
    case 'pausing':
      return `wait until it is paused: \`elastiq list-nodes ${name}\``;
    case 'failed':
    case 'stopped':
      return `it has no running instances; start it again or remove it with \`elastiq stop ${name}\``;
    default:
      return `wait until it is no longer ${status}: \`elastiq list\` shows it`;
  }
}

export type NodeResumeOutcome = 'up' | 'down' | 'failed' | 'pending';

export interface NodeResumeResult {
  name: string;
  outcome: NodeResumeOutcome;
  reason?: string | null;
  /** What the cloud reports now and the address the probe used (for an up node). */
  ips?: string[];
  preferredIp?: string | null;
}

export type ResumeOutcome =
  | { decision: 'wait' }
  | {
      decision: 'resumed';
      /** Nodes that answered SSH with their pinned host key. */
      back: string[];
      /** Nodes that did not, with why (a changed host key, not up before the deadline, gone). */
      notBack: { name: string; reason: string }[];
    };

/**
 * Waits while a node is still being probed and the deadline has not passed; then every node is
 * either back or not, and the ones that are not are reported by name (the others keep running).
 */
export function decideResumeOutcome(nodes: readonly NodeResumeResult[], deadlinePassed: boolean): ResumeOutcome {
  if (!deadlinePassed && nodes.some((node) => node.outcome === 'pending')) return { decision: 'wait' };
  const back = nodes.filter((node) => node.outcome === 'up').map((node) => node.name);
  const notBack = nodes
    .filter((node) => node.outcome !== 'up')
    .map((node) => ({
      name: node.name,
      reason: node.outcome === 'pending' ? `not back within start_timeout${node.reason ? ` (${node.reason})` : ''}` : (node.reason ?? `${node.outcome}`),
    }));
  return { decision: 'resumed', back, notBack };
}

export interface ResumeApplied {
  status: ClusterStatus;
  statusReason: string;
  /** Setup must run again: the address of a node that is back changed. */
  runSetup: boolean;
  /** Nodes whose connection address changed. */
  readdressed: string[];
}

/**
 * Writes a decided resume into the nodes: back nodes are up at the address the probe used, the
 * others `down` (or `failed` for a changed host key) with the reason. Setup runs again only when a
 * back node's address changed; without it the cluster returns to the status it was paused from,
 * or `degraded` when a node is not back (or is gone).
 */
export function applyResume(
  nodes: readonly Node[],
  results: readonly NodeResumeResult[],
  outcome: Extract<ResumeOutcome, { decision: 'resumed' }>,
  statusBeforePause: ResumableStatus | null,
): ResumeApplied {
  const byName = new Map(results.map((result) => [result.name, result]));
  const reasons = new Map(outcome.notBack.map((node) => [node.name, node.reason]));
  const readdressed: string[] = [];
  for (const node of nodes) {
    const result = byName.get(node.name);
    if (result === undefined) continue;
    if (result.outcome === 'up') {
      if (node.updateIps(result.ips ?? [], result.preferredIp ?? null)) readdressed.push(node.name);
      node.state = 'up';
      node.lastError = null;
    } else {
      node.state = result.outcome === 'failed' ? 'failed' : 'down';
      node.lastError = reasons.get(node.name) ?? null;
    }
  }
  const runSetup = readdressed.length > 0;
  const notBackLine = outcome.notBack.map((node) => `${node.name}: ${node.reason}`).join('; ');
  const summary = `resumed: ${outcome.back.length} of ${results.length} nodes back${notBackLine ? `; not back: ${notBackLine}` : ''}${runSetup ? `; new addresses: ${readdressed.join(', ')}` : ''}`;
  if (runSetup && outcome.back.length > 0) return { status: 'setting-up', statusReason: summary, runSetup, readdressed };
  // A node not back, or gone while the cluster was paused, leaves it with fewer nodes than it had.
  const status: ClusterStatus = nodes.some((node) => node.state !== 'up') ? 'degraded' : (statusBeforePause ?? 'ready');
  return { status, statusReason: summary, runSetup: false, readdressed };
}

/** Nodes a pause stops and a resume starts: every node with an instance not known to be gone. */
function nodesWithInstances(cluster: Cluster): Node[] {
  return cluster.getAllNodes().filter((node) => node.instanceId !== null && node.state !== 'gone');
}

/** Cluster.pause: `pausing` under a new epoch, remembering the status to come back to. */
export function beginPause(cluster: Cluster): PausePlan {
  const { status } = cluster;
  assertPausable(cluster.name, status);
  cluster.statusBeforePause = status;
  cluster.status = 'pausing';
  cluster.statusReason = 'pause requested';
  cluster.pauseEpoch += 1;
  return { epoch: cluster.pauseEpoch, instanceIds: nodesWithInstances(cluster).map((node) => node.instanceId as string) };
}

/** Cluster.pauseFinished: every node paused, `pausedNodes` holding what each needs to restart. */
export function finishPause(cluster: Cluster): void {
  for (const node of nodesWithInstances(cluster)) cluster.pausedNodes[node.name] = node.pause();
  cluster.status = 'paused';
  cluster.statusReason = `paused: ${Object.keys(cluster.pausedNodes).length} instance(s) stopped`;
}

/** Cluster.resume: `resuming`, with start_timeout from `now` for the nodes to come back. */
export function beginResume(cluster: Cluster, now: number): ResumePlan {
  assertResumable(cluster.name, cluster.status);
  cluster.status = 'resuming';
  cluster.statusReason = 'resume requested';
  const deadline = now + cluster.startTimeout * 1000;
  cluster.startDeadline = new Date(deadline).toISOString();
  const nodes = nodesWithInstances(cluster);
  return { epoch: cluster.pauseEpoch, instanceIds: nodes.map((node) => node.instanceId as string), nodes: nodes.map((node) => node.name), deadline };
}

/** Cluster.resumeFinished: applies the decision and clears what only a pause needed. */
export function finishResume(cluster: Cluster, results: readonly NodeResumeResult[], outcome: Extract<ResumeOutcome, { decision: 'resumed' }>): ResumeApplied {
  const applied = applyResume(cluster.getAllNodes(), results, outcome, cluster.statusBeforePause);
  cluster.status = applied.status;
  cluster.statusReason = applied.statusReason;
  cluster.startDeadline = null;
  cluster.statusBeforePause = null;
  cluster.pausedNodes = {};
  return applied;
}
