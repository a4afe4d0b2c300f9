import type { Cluster, NodeSpec } from './cluster';
import { ResizeRefused } from './errors';
import type { Node } from './node';
import { NodeNamingPolicy } from './node-naming-policy';

// The decisions of a resize (issue 10), pure: which names the added nodes get, how many of them
// must come up, which nodes a shrink removes and whether a removal breaks min_nodes. The fleet
// launches and terminates; nothing here touches the cloud or the record store.

export interface NodeCountRequest {
  kind: string;
  count: number;
}

/** What a node of an existing kind is launched from: the kind's first node (image, flavor, groups...). */
export function specOfKind(cluster: Cluster, kind: string): NodeSpec | undefined {
  const model = cluster.nodes[kind]?.[0];
  if (model === undefined) return undefined;
  return {
    imageId: model.imageId,
    imageUser: model.imageUser,
    imageUserdata: model.imageUserdata,
    flavor: model.flavor,
    securityGroup: model.securityGroup,
    sshProxyCommand: model.sshProxyCommand,
    sshPort: model.sshPort,
    extra: structuredClone(model.extra),
  };
}

/**
 * Adds the nodes of a growth to `cluster` and returns them. Names come from the naming policy,
 * so holes left by dropped or removed nodes are filled first. A kind the cluster has is launched
 * like its existing nodes; a new kind needs `templateSpec` (from `-t TEMPLATE` or the record's
 * template), else the whole growth is refused before any node is added.
 */
export function planGrowth(cluster: Cluster, requests: NodeCountRequest[], templateSpec: (kind: string) => NodeSpec | undefined): Node[] {
  const specs = new Map<string, NodeSpec>();
  for (const { kind } of requests) {
    const spec = specOfKind(cluster, kind) ?? templateSpec(kind);
    if (spec === undefined) {
      throw new ResizeRefused(`cluster \`${cluster.name}\` has no node of kind \`${kind}\` to copy, and its template does not define one`, {
        hint: `give a template that has a \`${kind}\` kind with -t TEMPLATE, or add a kind the cluster has (${cluster.kinds().join(', ') || 'none'})`,
      });
    }
    specs.set(kind, spec);
  }
  return requests.flatMap(({ kind, count }) => cluster.addNodes(kind, count, specs.get(kind) as NodeSpec));
}

/**
 * kind → how many of the added nodes must come up for the growth to be kept: by default all of
 * them (a growth is asked for node by node), `--min N:KIND` lowers that for one kind.
 */
export function growthMinimums(requests: NodeCountRequest[], minimums: NodeCountRequest[]): Record<string, number> {
  const wanted: Record<string, number> = {};
  for (const { kind, count } of requests) wanted[kind] = (wanted[kind] ?? 0) + count;
  const result = { ...wanted };
  for (const { kind, count } of minimums) {
    if (wanted[kind] === undefined) {
      throw new ResizeRefused(`--min ${count}:${kind}: no nodes of kind \`${kind}\` are added`, { hint: `give --min only for the kinds of -a (${Object.keys(wanted).join(', ')})` });
    }
    if (count > wanted[kind]) {
      throw new ResizeRefused(`--min ${count}:${kind}: only ${wanted[kind]} \`${kind}\` node(s) are added`, { hint: `give at most ${wanted[kind]}` });
    }
    result[kind] = count;
  }
  return result;
}

/**
 * The nodes a shrink removes: per kind, the highest-indexed ones, never the node `ssh`
 * connects to (getSshToNode) — removing the frontend is asked for by name (remove-node).
 */
export function planShrink(cluster: Cluster, requests: NodeCountRequest[]): Node[] {
  const sshTo = safeSshToNode(cluster);
  const chosen: Node[] = [];
  for (const { kind, count } of requests) {
    const ofKind = cluster.nodes[kind];
    if (ofKind === undefined || ofKind.length === 0) {
      throw new ResizeRefused(`cluster \`${cluster.name}\` has no node of kind \`${kind}\` to remove`, { hint: `its kinds are ${cluster.kinds().join(', ') || 'none'}` });
    }
    const candidates = ofKind.filter((node) => node !== sshTo && !chosen.includes(node)).sort((a, b) => indexOf(b) - indexOf(a));
    if (count > candidates.length) {
      const spared = sshTo?.kind === kind ? ` (${sshTo.name} is the ssh_to node: remove it by name with \`elastiq remove-node ${cluster.name} ${sshTo.name}\`)` : '';
      throw new ResizeRefused(`cannot remove ${count} \`${kind}\` node(s) from cluster \`${cluster.name}\`: only ${candidates.length} can be removed${spared}`, {
        hint: `give at most -r ${candidates.length}:${kind}`,
      });
    }
    chosen.push(...candidates.slice(0, count));
  }
  return chosen;
}

/**
 * Refuses to remove the nodes of `removing` when a kind would fall below its min_nodes (the
 * cluster's record says what the start wanted as a minimum), unless forced.
 */
export function checkRemoval(cluster: Cluster, removing: readonly Node[], { force = false }: { force?: boolean } = {}): void {
  if (force) return;
  for (const kind of new Set(removing.map((node) => node.kind))) {
    const left = (cluster.nodes[kind]?.length ?? 0) - removing.filter((node) => node.kind === kind).length;
    const min = cluster.minNodes[kind] ?? 0;
    if (left < min) {
      throw new ResizeRefused(`removing ${removing.filter((node) => node.kind === kind).map((node) => node.name).join(', ')} leaves ${left} \`${kind}\` node(s), below its min_nodes ${min}`, {
        hint: 'pass --force to remove it anyway',
      });
    }
  }
}

function safeSshToNode(cluster: Cluster): Node | undefined {
  try {
    return cluster.getSshToNode();
  } catch {
    return undefined; // no node to connect to, or a stale ssh_to: nothing to spare
  }
}

function indexOf(node: Node): number {
  try {
    return NodeNamingPolicy.parse(node.name).index;
  } catch {
    return 0; // a hand-made name without an index goes last
  }
}
