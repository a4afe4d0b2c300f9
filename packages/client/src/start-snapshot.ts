import type { ClusterDict } from '@elastiq/core';
import { type FleetProducer, clusterSetupJobId, generationKeys, parseNodeResults, parseStoredDecision, type StoredDecision } from '@elastiq/queue';
import type { RedisConnection } from '@elastiq/redis';
import { z } from 'zod';

/** Per-kind counts of a start in progress: what the progress bars show. */
export interface KindProgress {
  wanted: number;
  launched: number;
  running: number;
  up: number;
  failed: number;
}

export interface StartSnapshot {
  /** null: the record is gone (stopped and deleted). */
  cluster: ClusterDict | null;
  kinds: Record<string, KindProgress>;
  decision: StoredDecision | null;
  /** The setup job's current step while the cluster is `setting-up`. */
  setupStep: string | null;
}

// The workers' shared DescribeInstances snapshot: only the fields the progress needs, leniently,
// since it is written by another program.
const DescribeSnapshotSchema = z.object({
  instances: z.array(z.object({ instanceId: z.string(), state: z.string() }).loose()),
});

// The setup job's progress (apps/worker setup-progress.ts): its step and, once the provider
// runs, how many nodes it has configured so far.
const SetupProgressSchema = z
  .object({
    step: z.string(),
    provider: z.string().optional(),
    nodes: z.object({ total: z.number(), ok: z.number(), failed: z.number(), skipped: z.number() }).optional(),
  })
  .loose();

/** "running setup (ansible): 3/5 nodes ok, 1 failed": what a person follows during setup. */
export function describeSetupProgress(progress: z.infer<typeof SetupProgressSchema>): string {
  const step = progress.provider === undefined ? progress.step : `${progress.step} (${progress.provider})`;
  const nodes = progress.nodes;
  if (nodes === undefined) return step;
  const parts = [`${nodes.ok}/${nodes.total} nodes ok`];
  if (nodes.failed > 0) parts.push(`${nodes.failed} failed`);
  if (nodes.skipped > 0) parts.push(`${nodes.skipped} skipped`);
  return `${step}: ${parts.join(', ')}`;
}

/**
 * Reads the live state of a cluster's current start from the fleet's Redis: the record, which
 * nodes got an instance, which instances the cloud reports running, and the nodes' results.
 * Read-only: watching never changes anything.
 */
export async function readStartSnapshot(redis: RedisConnection, producer: FleetProducer, prefix: string, cluster: ClusterDict | null): Promise<StartSnapshot> {
  if (cluster === null) return { cluster, kinds: {}, decision: null, setupStep: null };
  const keys = generationKeys(prefix, cluster.name, cluster.generation);
  const [instances, rawResults, rawDescribe, rawDecision] = await Promise.all([
    redis.hgetall(keys.nodeInstance),
    redis.hgetall(keys.results),
    redis.get(keys.describe),
    redis.get(keys.decision),
  ]);
  const results = parseNodeResults(rawResults);
  const describe = rawDescribe === null ? null : DescribeSnapshotSchema.safeParse(JSON.parse(rawDescribe));
  const running = new Set(describe?.success ? describe.data.instances.filter((i) => i.state === 'running').map((i) => i.instanceId) : []);

  const kinds: Record<string, KindProgress> = {};
  for (const [kind, nodes] of Object.entries(cluster.nodes)) {
    const progress: KindProgress = { wanted: nodes.length, launched: 0, running: 0, up: 0, failed: 0 };
    for (const node of nodes) {
      const instanceId = instances[node.name] ?? node.instanceId;
      const outcome = results[node.name]?.outcome ?? (node.state === 'up' ? 'up' : node.state === 'failed' || node.state === 'down' ? 'failed' : null);
      if (instanceId) progress.launched += 1;
      if (outcome === 'up' || (instanceId && running.has(instanceId))) progress.running += 1;
      if (outcome === 'up') progress.up += 1;
      if (outcome === 'down' || outcome === 'failed') progress.failed += 1;
    }
    kinds[kind] = progress;
  }
  let setupStep: string | null = null;
  if (cluster.status === 'setting-up') {
    const job = await producer.queues.clusterSetup.getJob(clusterSetupJobId(cluster.name, cluster.generation));
    const progress = SetupProgressSchema.safeParse(job?.progress);
    setupStep = progress.success ? describeSetupProgress(progress.data) : job === undefined ? 'waiting for a setup worker' : 'queued';
  }
  return { cluster, kinds, decision: parseStoredDecision(rawDecision), setupStep };
}
