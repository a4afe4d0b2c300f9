import { type ClusterDict, type ClusterStatus, EXIT_CODES, ElastiqError } from '@elastiq/core';
import type { FleetQueues } from '@elastiq/queue';
import type { CommandContext } from '../command-context';
import { EXIT_INTERRUPTED } from '../errors';
import { InterruptWatch } from '../interrupt';
import { formatClusterSummary } from '../output/cluster-summary';
import { formatNodeTable } from '../output/node-table';

const POLL_MS = 300;

type Queue = FleetQueues['clusterPause'];

export interface FollowRequest {
  /** Statuses the work passes through; any other status is where it ended. */
  passing: ReadonlySet<ClusterStatus>;
  /** The job doing the work: one that failed for good ends the wait with its reason. */
  queue: Queue;
  jobId: string;
  /** `pausing`, `resuming`: for the lines printed when the waiting ends early. */
  doing: string;
  json: boolean;
}

/**
 * Follows a pause or resume until the record leaves `passing`, then prints the cluster (or its
 * JSON) and returns it; or returns the exit code when there is nothing to print (Ctrl+C only
 * stops the waiting; a record gone means a stop came in between).
 */
export async function followToEnd(context: CommandContext, name: string, request: FollowRequest): Promise<ClusterDict | number> {
  const interrupt = new InterruptWatch();
  let cluster: ClusterDict | null;
  try {
    const ended = await waitWhileStatus(context, name, request, interrupt);
    if (ended === 'detached') {
      context.terminal.err(`\nStopped waiting; the fleet goes on ${request.doing} \`${name}\` (\`elastiq list-nodes ${name}\` shows how far).`);
      return EXIT_INTERRUPTED;
    }
    cluster = ended;
  } finally {
    interrupt.dispose();
  }
  if (cluster === null) {
    context.terminal.err(`Cluster \`${name}\` was stopped while ${request.doing}.`);
    return EXIT_CODES.failure;
  }
  context.terminal.out(request.json ? JSON.stringify(cluster, null, 2) : `${formatClusterSummary(cluster)}\n${formatNodeTable(cluster)}`);
  return cluster;
}

async function waitWhileStatus(context: CommandContext, name: string, request: FollowRequest, interrupt: InterruptWatch): Promise<ClusterDict | null | 'detached'> {
  const repository = await context.openRepository();
  if ((await request.queue.getWorkersCount()) === 0) {
    context.terminal.err(`note: no elastiq-worker serving ${request.queue.name} jobs is connected to this Redis right now; the work goes on when one is.`);
  }
  for (;;) {
    const record = (await repository.get(name))?.value ?? null;
    if (record === null || !request.passing.has(record.status)) return record;
    const job = await request.queue.getJob(request.jobId);
    if (job !== undefined && (await job.getState()) === 'failed') {
      throw new ElastiqError(`cluster \`${name}\` is still ${record.status}: ${job.failedReason}`, { exitCode: EXIT_CODES.tempFail });
    }
    await interrupt.pause(POLL_MS);
    if (interrupt.interrupted) return 'detached';
  }
}
