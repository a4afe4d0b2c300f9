import { ElastiqError, InvalidJobPayload } from '@elastiq/core';
import { DelayedError, type Job, UnrecoverableError } from 'bullmq';

// BullMQ's error classes are control signals: DelayedError = "I parked myself, come back later",
// UnrecoverableError = "retrying cannot help". These helpers keep that vocabulary in one place.

/**
 * Parks a step job until `timestamp` without holding a worker slot: the job leaves the worker
 * and comes back later, possibly on another worker. `data` is the step state to resume from.
 */
export async function comeBackAt(job: Job, token: string | undefined, timestamp: number, data?: unknown): Promise<never> {
  if (data !== undefined) await job.updateData(data);
  await job.moveToDelayed(Math.ceil(timestamp), token);
  throw new DelayedError();
}

/**
 * Failures that a retry cannot fix (an invalid payload, a configuration mistake) must fail the
 * job at once, with the reason: otherwise they burn every attempt with the same message.
 */
export function asJobFailure(error: unknown): unknown {
  if (error instanceof DelayedError || error instanceof UnrecoverableError) return error;
  if (error instanceof InvalidJobPayload) return new UnrecoverableError(error.toUserLine());
  if (error instanceof ElastiqError && 'retryable' in error && error.retryable === false) {
    return new UnrecoverableError(error.toUserLine());
  }
  return error;
}

/** Wraps a processor so that every kind of job fails the same way. */
export function processorOf<R>(handler: (job: Job, token: string | undefined) => Promise<R>) {
  return async (job: Job, token?: string): Promise<R> => {
    try {
      return await handler(job, token);
    } catch (error) {
      throw asJobFailure(error);
    }
  };
}
