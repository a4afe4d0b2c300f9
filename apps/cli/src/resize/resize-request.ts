import { ClusterBusy, ClusterNotFound, type ClusterDict, type NodeCountRequest } from '@elastiq/core';
import { RESIZABLE_STATUSES } from '@elastiq/queue';
import { NodesOptionSchema } from '../cli-args';
import type { CommandContext } from '../command-context';
import { UsageError } from '../errors';

// What `resize` and `remove-node` read before deciding anything: the option values and the
// record, refused early (before a prompt) when the cluster cannot be resized now. The producer
// checks the status again under the record's revision.

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

/** The record of a cluster that may be resized now, or a one-line refusal (66 unknown, 75 busy). */
export async function resizableRecord(context: CommandContext, name: string, action: string): Promise<ClusterDict> {
  const existing = await (await context.openRepository()).get(name);
  if (existing === null) throw new ClusterNotFound(name, { hint: '`elastiq list` shows the clusters that exist' });
  const { status } = existing.value;
  if (!RESIZABLE_STATUSES.has(status)) throw new ClusterBusy(name, status, action);
  return existing.value;
}

/** `+3 compute +1 gpu` / `-2 compute`: what job names and the record's reason say. */
export function describeCounts(sign: '+' | '-', counts: NodeCountRequest[]): string {
  return counts.map(({ kind, count }) => `${sign}${count} ${kind}`).join(' ');
}
