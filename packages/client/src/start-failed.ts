import { type ClusterDict, EXIT_CODES, ElastiqError } from '@elastiq/core';

/**
 * A start (or setup) that ended without a usable cluster: `failed` (rolled back), `setup-failed`
 * (instances running, setup to fix) or stopped before it was ready. `cluster` is the final
 * record (null when it was stopped and deleted), with every node's last error.
 */
export class StartFailed extends ElastiqError {
  readonly clusterName: string;
  readonly cluster: ClusterDict | null;

  constructor(clusterName: string, cluster: ClusterDict | null) {
    super(describeEnd(clusterName, cluster), { hint: hintFor(clusterName, cluster), exitCode: EXIT_CODES.failure });
    this.clusterName = clusterName;
    this.cluster = cluster;
  }
}

function describeEnd(name: string, cluster: ClusterDict | null): string {
  if (cluster === null) return `cluster \`${name}\` was stopped before it became ready`;
  if (cluster.status === 'setup-failed') return `cluster \`${name}\` is running but its setup failed: ${cluster.statusReason ?? 'see its nodes'}`;
  if (cluster.status === 'failed') return `cluster \`${name}\` could not be started: ${cluster.statusReason ?? 'see its nodes'}`;
  return `cluster \`${name}\` is ${cluster.status}`;
}

function hintFor(name: string, cluster: ClusterDict | null): string | undefined {
  if (cluster?.status === 'setup-failed') return `fix the cause and run \`elastiq setup ${name}\`, or stop it`;
  if (cluster?.status === 'failed') return 'its instances were rolled back; stop it to remove the record, or start it again';
  return undefined;
}

/** A start's end states a program can use: every kind reached its min_nodes and setup passed. */
export function isUsable(cluster: ClusterDict | null): cluster is ClusterDict {
  return cluster !== null && (cluster.status === 'ready' || cluster.status === 'degraded');
}

/**
 * A growth none of whose added nodes stayed: the fleet terminated them and gave the cluster its
 * earlier status back, so the record looks usable, but what was asked for did not happen.
 */
export class ResizeRolledBack extends ElastiqError {
  readonly clusterName: string;
  readonly cluster: ClusterDict;

  constructor(clusterName: string, cluster: ClusterDict) {
    super(cluster.statusReason ?? `the resize of \`${clusterName}\` was rolled back`, {
      hint: `the nodes it had are untouched; \`elastiq list-nodes ${clusterName}\` shows why the added ones failed`,
      exitCode: EXIT_CODES.failure,
    });
    this.clusterName = clusterName;
    this.cluster = cluster;
  }
}
