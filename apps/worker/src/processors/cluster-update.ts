import { Cluster, type CloudReconciliation, reconcileWithCloud } from '@elastiq/core';
import { ClusterUpdatePayloadSchema, parseJobPayload, UPDATABLE_STATUSES, updateRecord } from '@elastiq/queue';
import { processorOf } from '../job-control';
import type { WorkerDependencies } from '../worker-dependencies';

/** What an update job returns: the CLI prints it (node changes, gone nodes, strays). */
export interface UpdateResult extends CloudReconciliation {
  cluster: string;
  /** Instances the one listing returned (every generation, any state). */
  listed: number;
  status: string | null;
}

/**
 * `elastiq update`: one tag-filtered, paginated DescribeInstances of the whole cluster (through
 * the shared rate limits, with the credentials the worker resolves) refreshes every node's state
 * and addresses in one save; what the record lacks or the cloud lacks is reported. Idempotent: a
 * retry lists again and writes the same thing.
 */
export function clusterUpdateProcessor(deps: WorkerDependencies) {
  return processorOf(async (job) => {
    const payload = parseJobPayload(ClusterUpdatePayloadSchema, job);
    const record = (await deps.repository.get(payload.cluster))?.value;
    if (record === undefined) return { skipped: `cluster \`${payload.cluster}\` not found` };
    await job.updateProgress({ step: 'listing', cluster: record.name, attempt: job.attemptsMade + 1 });
    const instances = await deps.cloudFor(record).describeCluster(record.name);
    let report: CloudReconciliation = { changes: [], gone: [], strays: [] };
    const saved = await updateRecord(deps.repository, record.name, (current) => {
      // A start, stop, pause or resume that began meanwhile owns the record: leave it to them.
      if (!UPDATABLE_STATUSES.has(current.status)) return null;
      const cluster = Cluster.fromDict(current);
      const statusBefore = cluster.status;
      report = reconcileWithCloud(cluster, instances);
      return report.changes.length > 0 || cluster.status !== statusBefore ? cluster.toDict() : null;
    });
    for (const change of report.changes) await job.log(`${change.node}: ${change.from} → ${change.to}${change.addressChanged ? ' (new address)' : ''}`);
    for (const stray of report.strays) await job.log(`stray: ${stray.instanceId} (${stray.state}) carries the cluster's tag but is not in the record`);
    await job.updateProgress({ step: 'updated', cluster: record.name, changed: report.changes.length, gone: report.gone.length, strays: report.strays.length, attempt: job.attemptsMade + 1 });
    const result: UpdateResult = { cluster: record.name, listed: instances.length, ...report, status: saved?.status ?? null };
    return result;
  });
}
