import { type ClusterDict, EXIT_CODES } from '@elastiq/core';
import type { Terminal } from '../command-context';
import { EXIT_INTERRUPTED } from '../errors';
import { formatClusterSummary } from './cluster-summary';
import { formatNodeTable } from './node-table';

/**
 * Prints how a start (or setup) ended and returns the exit status. Unlike ElastiCluster, which
 * exits 0 after a failed setup (notes §2.1), the status tells the truth: 0 only for a usable
 * cluster (`ready`, or `degraded`: every kind reached its min_nodes).
 */
export function reportStartResult(terminal: Terminal, name: string, cluster: ClusterDict | null, json: boolean): number {
  if (cluster === null) {
    if (json) terminal.out(JSON.stringify({ name, status: 'stopped' }));
    terminal.err(`\nCluster \`${name}\` was stopped before it became ready.`);
    return EXIT_CODES.failure;
  }
  if (json) terminal.out(JSON.stringify(cluster, null, 2));
  else terminal.out(`${formatClusterSummary(cluster)}\n${formatNodeTable(cluster)}`);
  switch (cluster.status) {
    case 'ready':
      terminal.err(`\nYour cluster \`${name}\` is ready!`);
      return 0;
    case 'degraded':
      terminal.err(`\nYour cluster \`${name}\` is ready with fewer nodes than asked for (every kind reached its min_nodes): ${cluster.statusReason ?? ''}`);
      return 0;
    case 'setup-failed':
      terminal.err(`\nerror: cluster \`${name}\` is running but its setup failed: ${cluster.statusReason ?? 'see the last errors above'}`);
      terminal.err(`Fix the cause and run \`elastiq setup ${name}\`, or stop it with \`elastiq stop ${name}\`.`);
      return EXIT_CODES.failure;
    case 'failed':
      terminal.err(`\nerror: cluster \`${name}\` could not be started: ${cluster.statusReason ?? 'see the last errors above'}`);
      terminal.err(`Its instances were rolled back. Remove the record with \`elastiq stop ${name}\`, or start it again.`);
      return EXIT_CODES.failure;
    case 'paused':
      // `watch` of a pause: it ended where it was meant to.
      terminal.err(`\nCluster \`${name}\` is paused; \`elastiq resume ${name}\` starts it again.`);
      return 0;
    default:
      terminal.err(`\nCluster \`${name}\` is ${cluster.status}.`);
      return EXIT_CODES.failure;
  }
}

/** What Ctrl+C prints: nothing was cut in half, and how to go on. */
export function reportDetached(terminal: Terminal, name: string): number {
  terminal.err(`\nDetached from \`${name}\`: its start goes on in the fleet.`);
  terminal.err(`Re-attach with \`elastiq watch ${name}\`, or stop it with \`elastiq stop ${name}\`.`);
  return EXIT_INTERRUPTED;
}
