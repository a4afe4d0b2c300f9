import { type CloudReconciliation, EXIT_CODES, ElastiqError } from '@elastiq/core';
import { type FleetProducer, waitForJob } from '@elastiq/queue';
import type { CommandContext } from '../command-context';

/** What a worker's update job returns (apps/worker cluster-update.ts). */
export interface UpdateReport extends CloudReconciliation {
  cluster: string;
  listed: number;
  status: string | null;
}

const UPDATE_TIMEOUT_MS = 120_000;

/**
 * `update` runs on a worker, not here: the worker resolves the record's credential source and
 * paces the DescribeInstances with the installation's shared token buckets; the CLI holds no cloud
 * credentials. This enqueues the job (or joins one under way) and waits for its result.
 */
export async function runUpdate(context: CommandContext, producer: FleetProducer, name: string): Promise<UpdateReport> {
  const { jobId } = await producer.updateCluster(name);
  if ((await producer.queues.clusterUpdate.getWorkersCount()) === 0) {
    context.terminal.err('note: no elastiq-worker serving cluster-update jobs is connected to this Redis right now; waiting for one.');
  }
  try {
    return await waitForJob<UpdateReport>(producer.queues.clusterUpdate, jobId, { timeoutMs: UPDATE_TIMEOUT_MS });
  } catch (error) {
    throw new ElastiqError(`the update of \`${name}\` did not finish: ${error instanceof Error ? error.message : String(error)}`, {
      hint: 'check that an elastiq-worker runs with the same ELASTIQ_REDIS_URL and ELASTIQ_QUEUE_PREFIX and can reach the cloud',
      exitCode: EXIT_CODES.unavailable,
    });
  }
}

/** The lines `update` and `list-nodes -u` print before the node table. */
export function formatUpdateReport(report: UpdateReport): string {
  const lines = [`Listed ${report.listed} instance(s) tagged with cluster \`${report.cluster}\`.`];
  if (report.changes.length === 0) lines.push('The record already matched the cloud.');
  for (const change of report.changes) lines.push(`- ${change.node}: ${change.from} → ${change.to}${change.addressChanged ? ' (new address)' : ''}`);
  for (const gone of report.gone) lines.push(`- ${gone.node} is gone: ${gone.reason}`);
  if (report.strays.length > 0) {
    lines.push(`Stray instances (they carry the cluster's tag but no node of the record owns them; \`elastiq stop\` would terminate them):`);
    for (const stray of report.strays) {
      const claims = [stray.node ? `node tag ${stray.node}` : null, stray.generation ? `generation ${stray.generation}` : null].filter(Boolean).join(', ');
      lines.push(`- ${stray.instanceId} ${stray.state}${stray.ip ? ` ${stray.ip}` : ''}${claims ? ` (${claims})` : ''}`);
    }
  }
  return lines.join('\n');
}
