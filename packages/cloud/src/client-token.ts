import { createHash } from 'node:crypto';

/**
 * The RunInstances ClientToken of one launch batch: the same (cluster, generation, batch) always
 * gives the same token, so a retried or duplicated job gets the original reservation back instead
 * of a second set of instances. A readable prefix helps whoever reads CloudTrail; the hash of the
 * exact tuple keeps tokens of different batches distinct however the names look. ≤ 64 ASCII chars.
 */
export function clientTokenFor(clusterName: string, generation: number, batchId: string): string {
  if (!Number.isSafeInteger(generation) || generation < 0) {
    throw new RangeError(`generation must be a non-negative integer, got ${generation}`);
  }
  const digest = createHash('sha256').update(JSON.stringify([clusterName, generation, batchId])).digest('base64url');
  const readable = clusterName.replace(/[^A-Za-z0-9-]/g, '').slice(0, 16);
  return `${readable}-g${generation}-${digest.slice(0, 32)}`;
}
