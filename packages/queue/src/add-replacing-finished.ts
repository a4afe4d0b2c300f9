import type { Queue } from 'bullmq';

/**
 * Adds a job with a deterministic id; a finished job of that id is removed first so it runs
 * again (a setup re-run, a second update). While one with that id is waiting or running, adding
 * is a no-op: the caller shares that job.
 */
export async function addReplacingFinished(queue: Queue, jobName: string, data: unknown, jobId: string): Promise<void> {
  const previous = await queue.getJob(jobId);
  if (previous !== undefined) {
    const state = await previous.getState();
    if (state === 'completed' || state === 'failed') await previous.remove();
  }
  await queue.add(jobName, data, { jobId });
}
