import { type RedisConnection, scanKeys } from '@elastiq/redis';
import { z } from 'zod';
import { unavailableOfferingPattern } from './fleet-keys';

// The unavailable-offerings cache (issue 11): written by workers when an offering answers "no
// capacity", read by every start's launch path and shown by `elastiq capacity`.

export const UnavailableOfferingSchema = z.object({
  /** `c5.xlarge@us-east-1a`. */
  offering: z.string(),
  code: z.string(),
  reason: z.string(),
  cluster: z.string(),
  kind: z.string(),
  markedAt: z.string(),
});
export type UnavailableOffering = z.infer<typeof UnavailableOfferingSchema> & { expiresInMs: number };

export function parseUnavailableOffering(raw: string): z.infer<typeof UnavailableOfferingSchema> | null {
  try {
    return UnavailableOfferingSchema.parse(JSON.parse(raw));
  } catch {
    return null;
  }
}

/** What the cache holds now (entries about to expire may still be listed). */
export async function listUnavailableOfferings(redis: RedisConnection, prefix: string): Promise<UnavailableOffering[]> {
  const entries: UnavailableOffering[] = [];
  for await (const keys of scanKeys(redis, unavailableOfferingPattern(prefix))) {
    for (const key of keys) {
      const [raw, ttl] = await Promise.all([redis.get(key), redis.pttl(key)]);
      const entry = raw === null ? null : parseUnavailableOffering(raw);
      if (entry !== null && ttl > 0) entries.push({ ...entry, expiresInMs: ttl });
    }
  }
  return entries.sort((a, b) => a.offering.localeCompare(b.offering));
}
