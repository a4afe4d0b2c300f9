import { EXIT_CODES, ElastiqError } from '@elastiq/core';
import type { ElastiqClient } from './elastiq-client';
import { pause } from './follow-cluster';

const POLL_MS = 300;

/**
 * Until the record is gone (true) or `signal` aborts (false); a stop job that gave up is
 * reported with the fleet's reason.
 */
export async function waitForStop(client: ElastiqClient, name: string, jobId: string, signal?: AbortSignal): Promise<boolean> {
  for (;;) {
    if ((await client.repository.get(name)) === null) return true;
    const job = await client.producer.queues.clusterStop.getJob(jobId);
    if (job !== undefined && (await job.getState()) === 'failed') {
      throw new ElastiqError(`cluster \`${name}\` could not be stopped: ${job.failedReason}`, {
        hint: `run \`elastiq stop ${name}\` again later, or \`elastiq stop --force ${name}\` to forget it anyway`,
        exitCode: EXIT_CODES.tempFail,
      });
    }
    await pause(POLL_MS, signal);
    if (signal?.aborted) return false;
  }
}
