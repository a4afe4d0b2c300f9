import { ConfigurationError, NodeNotFound } from './errors';
import type { Node } from './node';
import { NodeNamingPolicy } from './node-naming-policy';

/** Kinds that usually hold the login node, tried in this order when ssh_to says nothing. */
const FRONTEND_KINDS = ['ssh', 'login', 'frontend', 'master'];

/**
 * The node `ssh`/`sftp` connect to, in ElastiCluster's order (notes §4.3): an exact node name;
 * a `<kind><digits>` name stands for its kind; the first node of the ssh_to kind; the first node
 * of ssh, login, frontend, master; the first node of the alphabetically first non-empty kind.
 */
export function selectSshTarget(clusterName: string, nodesByKind: Record<string, Node[]>, sshTo: string | null): Node {
  if (sshTo) {
    const exact = Object.values(nodesByKind)
      .flat()
      .find((node) => node.name === sshTo);
    if (exact) return exact;
    const kind = kindNamedBy(sshTo);
    const nodesOfKind = nodesByKind[kind];
    if (!nodesOfKind) {
      throw new ConfigurationError(`\`${sshTo}\` is neither a node nor a node kind of cluster \`${clusterName}\``, {
        key: 'ssh_to',
        hint: `use one of the kinds ${Object.keys(nodesByKind).join(', ')} or a node name`,
      });
    }
    // An empty kind falls through to the defaults, as upstream does (it only warns).
    if (nodesOfKind.length > 0) return nodesOfKind[0];
  }
  for (const kind of FRONTEND_KINDS) {
    const first = nodesByKind[kind]?.[0];
    if (first) return first;
  }
  const firstKind = Object.keys(nodesByKind)
    .filter((kind) => nodesByKind[kind].length > 0)
    .sort()[0];
  if (firstKind !== undefined) return nodesByKind[firstKind][0];
  throw new NodeNotFound(`cluster \`${clusterName}\` has no node to connect to`, {
    clusterName,
    nodeName: sshTo ?? undefined,
    hint: `start or resize the cluster first, e.g. \`elastiq resize ${clusterName} --add 1:frontend\``,
  });
}

function kindNamedBy(sshTo: string): string {
  try {
    return NodeNamingPolicy.parse(sshTo).kind;
  } catch {
    return sshTo;
  }
}
