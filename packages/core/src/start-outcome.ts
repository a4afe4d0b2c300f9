// The decision that ends a start (ElastiCluster's min_nodes check, done right: notes §4.2 step 7
// counted configured nodes, so min_nodes was never enforced). Pure: the coordinator feeds it the
// node results it has and acts on the answer; deciding twice on the same input gives the same answer.

export type NodeStartOutcome = 'up' | 'down' | 'failed' | 'pending';

export interface StartOutcomeInput {
  /** kind → how many nodes were wanted and how many must be up for the cluster to be usable. */
  kinds: Record<string, { wanted: number; min: number }>;
  nodes: Array<{ name: string; kind: string; outcome: NodeStartOutcome; reason?: string }>;
  /** start_timeout has passed: a node still pending will not be waited for any more. */
  deadlinePassed: boolean;
}

export type StartDecision = 'ready' | 'degraded' | 'failed' | 'wait';

export interface KindCounts {
  wanted: number;
  min: number;
  up: number;
  pending: number;
  down: number;
  failed: number;
}

export interface StartOutcome {
  decision: StartDecision;
  /** Nodes that stay in the cluster. On `wait` nothing is decided yet: every node is listed. */
  keep: string[];
  /** Nodes whose instances must be terminated (and removed from the cluster). */
  drop: string[];
  /** Counts after the deadline rule (a node pending at the deadline counts as down). */
  perKind: Record<string, KindCounts>;
  /** One line per kind that is not fully up, e.g. `compute: 1 up of 4, min_nodes 2; compute002 failed: ...`. */
  reasons: string[];
}

const NOT_UP_BEFORE_DEADLINE = 'not up before the deadline';

export function decideStartOutcome(input: StartOutcomeInput): StartOutcome {
  const nodes = input.nodes.map((node) =>
    input.deadlinePassed && node.outcome === 'pending'
      ? { ...node, outcome: 'down' as const, reason: node.reason ? `${NOT_UP_BEFORE_DEADLINE} (${node.reason})` : NOT_UP_BEFORE_DEADLINE }
      : node,
  );
  const perKind = countPerKind(input.kinds, nodes);
  const reasons = describeKinds(perKind, nodes);
  const allNames = nodes.map((node) => node.name);
  const upNames = nodes.filter((node) => node.outcome === 'up').map((node) => node.name);

  const everyNodeUp = upNames.length === nodes.length && Object.values(perKind).every((c) => c.up >= c.wanted);
  if (everyNodeUp) return { decision: 'ready', keep: allNames, drop: [], perKind, reasons: [`all ${nodes.length} nodes up`] };

  // Certain failure: waiting longer cannot bring a kind back to its minimum, so don't.
  const belowMinimumForGood = Object.values(perKind).some((c) => c.up + c.pending < c.min);
  if (belowMinimumForGood) return { decision: 'failed', keep: [], drop: allNames, perKind, reasons };

  const somethingPending = Object.values(perKind).some((c) => c.pending > 0);
  if (somethingPending) return { decision: 'wait', keep: allNames, drop: [], perKind, reasons };

  // Nothing pending and every kind has up >= min (otherwise the check above would have failed it).
  // Still, a cluster of zero nodes is no cluster, even when every min_nodes is 0 (ElastiCluster:
  // "No nodes could be started!").
  const anythingWanted = Object.values(perKind).some((c) => c.wanted > 0);
  if (upNames.length === 0 && anythingWanted) {
    return { decision: 'failed', keep: [], drop: allNames, perKind, reasons: ['no node came up', ...reasons] };
  }
  const kept = new Set(upNames);
  const dropped = allNames.filter((name) => !kept.has(name));
  return { decision: 'degraded', keep: upNames, drop: dropped, perKind, reasons };
}

function countPerKind(kinds: StartOutcomeInput['kinds'], nodes: StartOutcomeInput['nodes']): Record<string, KindCounts> {
  const perKind: Record<string, KindCounts> = {};
  for (const [kind, { wanted, min }] of Object.entries(kinds)) {
    perKind[kind] = { wanted, min, up: 0, pending: 0, down: 0, failed: 0 };
  }
  for (const node of nodes) {
    const counts = perKind[node.kind];
    // A node of a kind nobody asked for is a bug in the caller, not a situation to decide on.
    if (!counts) throw new Error(`decideStartOutcome: node ${node.name} has kind ${node.kind}, which is not in kinds`);
    counts[node.outcome] += 1;
  }
  return perKind;
}

function describeKinds(perKind: Record<string, KindCounts>, nodes: StartOutcomeInput['nodes']): string[] {
  const lines: string[] = [];
  for (const [kind, counts] of Object.entries(perKind)) {
    if (counts.up >= counts.wanted && counts.down + counts.failed + counts.pending === 0) continue;
    const pending = counts.pending > 0 ? `, ${counts.pending} pending` : '';
    const details = nodes
      .filter((node) => node.kind === kind && (node.outcome === 'failed' || node.outcome === 'down'))
      .map((node) => (node.reason ? `${node.name} ${node.outcome}: ${node.reason}` : `${node.name} ${node.outcome}`));
    lines.push([`${kind}: ${counts.up} up of ${counts.wanted}, min_nodes ${counts.min}${pending}`, ...details].join('; '));
  }
  return lines;
}
