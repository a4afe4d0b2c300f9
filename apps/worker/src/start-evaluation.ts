import { type ClusterDict, decideStartOutcome, type StartOutcome } from '@elastiq/core';
import { coordinatorJobId, type NodeResult, nodesOfGeneration, type StoredDecision } from '@elastiq/queue';
import type { GenerationState } from './generation-state';
import type { WorkerDependencies } from './worker-dependencies';

/** Feeds the node results of a start to core's decision function. */
export async function evaluateStart(state: GenerationState, cluster: ClusterDict, now = Date.now()): Promise<StartOutcome> {
  const [results, lastErrors, deadline, plan] = await Promise.all([state.results(), state.lastErrors(), state.deadline(), state.plan()]);
  // Only the generation's nodes are decided on: a resize's outcome is that of the nodes it adds,
  // with its own minimums (`--min`, default all); the nodes already running are not in question.
  const ofGeneration = nodesOfGeneration(cluster, state.generation);
  const minNodes = plan?.action === 'grow' ? plan.min : cluster.minNodes;
  const kinds: Record<string, { wanted: number; min: number }> = {};
  for (const node of ofGeneration) {
    const wanted = (kinds[node.kind]?.wanted ?? 0) + 1;
    kinds[node.kind] = { wanted, min: Math.min(minNodes[node.kind] ?? wanted, wanted) };
  }
  const nodes = ofGeneration.map((node) => {
    const result = results[node.name];
    const reason = result?.reason ?? lastErrors[node.name];
    return { name: node.name, kind: node.kind, outcome: result?.outcome ?? ('pending' as const), ...(reason ? { reason } : {}) };
  });
  return decideStartOutcome({ kinds, nodes, deadlinePassed: now >= deadline });
}

export function toStoredDecision(outcome: StartOutcome, reasons: Record<string, string>): StoredDecision {
  if (outcome.decision === 'wait') throw new Error('a "wait" outcome is not a decision');
  return {
    decision: outcome.decision,
    decidedAt: Date.now(),
    keep: outcome.keep,
    drop: outcome.drop,
    reasons,
    summary: `${outcome.decision}: ${outcome.reasons.join(' | ')}`,
  };
}

/**
 * Called by node jobs after they report: when the outcome is already certain (every node up, or
 * a kind can no longer reach min_nodes), wake the coordinator now instead of at the deadline.
 * The coordinator re-checks after parking itself, so a promotion lost to that race is harmless.
 */
export async function promoteCoordinatorIfCertain(deps: WorkerDependencies, state: GenerationState, cluster: ClusterDict): Promise<boolean> {
  const outcome = await evaluateStart(state, cluster);
  if (outcome.decision === 'wait') return false;
  return promoteCoordinator(deps, state.cluster, state.generation);
}

/**
 * promoteCoordinatorIfCertain for a node job that just reported, in O(1) for the common case: an
 * "up" report cannot make a kind fall below min_nodes, so it can only make the outcome certain by
 * being the last report (counting the results is one HLEN; evaluating reads all N of them, which
 * made a start O(N²)). A failed or down node may make it certain at any time: evaluate then.
 */
export async function promoteCoordinatorAfterReport(
  deps: WorkerDependencies,
  state: GenerationState,
  cluster: ClusterDict,
  reported: NodeResult['outcome'],
  nodeCount: number,
): Promise<boolean> {
  if (reported !== 'up') return promoteCoordinatorIfCertain(deps, state, cluster);
  if ((await state.reportedCount()) < nodeCount) return false;
  return promoteCoordinator(deps, state.cluster, state.generation);
}

export async function promoteCoordinator(deps: WorkerDependencies, cluster: string, generation: number): Promise<boolean> {
  const job = await deps.queues.clusterCoordinator.getJob(coordinatorJobId(cluster, generation));
  if (job === undefined) return false;
  try {
    await job.promote();
    return true;
  } catch {
    // Not delayed any more: it is running or done, and will see the results by itself.
    return false;
  }
}
