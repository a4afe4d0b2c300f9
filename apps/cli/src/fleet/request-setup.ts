import { ClusterNotFound, ClusterExists } from '@elastiq/core';
import { type ClusterSetupPayload, clusterSetupJobId, type FleetProducer, PAYLOAD_VERSION, updateRecord } from '@elastiq/queue';
import type { ClusterRepository } from '@elastiq/store';

/** A setup can be re-run on a cluster whose nodes are up, whatever the last setup did. */
const SETUP_ALLOWED = new Set(['ready', 'degraded', 'setup-failed']);

/**
 * Asks the fleet to run the setup step of a cluster again. packages/queue has no producer call
 * for this yet (see the report), so this is the smallest adapter: the record goes to
 * `setting-up` (what the setup processor waits for) and the generation's setup job is enqueued,
 * replacing a finished one of the same id.
 */
export async function requestSetup(producer: FleetProducer, repository: ClusterRepository, name: string): Promise<void> {
  let refusal: string | null = null;
  const updated = await updateRecord(repository, name, (cluster) => {
    if (cluster.status === 'setting-up') return null;
    if (!SETUP_ALLOWED.has(cluster.status)) {
      refusal = cluster.status;
      return null;
    }
    return { ...cluster, status: 'setting-up', statusReason: 'setup requested' };
  });
  if (updated === null) throw new ClusterNotFound(name);
  if (refusal !== null) {
    throw new ClusterExists(name, {
      hint: `it is ${refusal}: setup runs on a started cluster; ${refusal === 'failed' ? `start it again with \`elastiq start\`` : `wait with \`elastiq watch ${name}\``}`,
    });
  }
  const jobId = clusterSetupJobId(name, updated.generation);
  const previous = await producer.queues.clusterSetup.getJob(jobId);
  if (previous !== undefined) {
    const state = await previous.getState();
    if (state === 'completed' || state === 'failed') await previous.remove();
  }
  const payload: ClusterSetupPayload = { v: PAYLOAD_VERSION, cluster: name, generation: updated.generation };
  await producer.queues.clusterSetup.add('cluster-setup', payload, { jobId });
}
