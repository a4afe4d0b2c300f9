import type { NodeCountRequest } from '@elastiq/core';
import { NodesOptionSchema } from '../cli-args';
import { UsageError } from '../errors';

// The option values of `resize`; the client plans the resize from them (and refuses it before a
// prompt when the cluster cannot be resized now).

/** `-a 3:compute -a 1:gpu` or `-a 3:compute,1:gpu`: counts per kind, in the order given. */
export function parseCounts(values: readonly string[], option: string): NodeCountRequest[] {
  const counts = new Map<string, number>();
  for (const value of values.flatMap((item) => item.split(','))) {
    const parsed = NodesOptionSchema.safeParse(value.trim());
    if (!parsed.success) throw new UsageError(`${option} '${value}': ${parsed.error.issues[0]?.message ?? 'is invalid'}`, 'give N:KIND with N >= 1, e.g. 3:compute');
    counts.set(parsed.data.kind, (counts.get(parsed.data.kind) ?? 0) + parsed.data.count);
  }
  return [...counts].map(([kind, count]) => ({ kind, count }));
}
