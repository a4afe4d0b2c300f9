import type { ClusterDict, ClusterStatus } from '@elastiq/core';
import type { KindProgress, StartSnapshot } from './start-snapshot';

/** What a program following a cluster sees, in order, each once: the changes, then the end. */
export type ClusterEvent =
  | { type: 'status'; cluster: string; status: ClusterStatus; reason: string | null }
  | ({ type: 'kind'; cluster: string; kind: string } & KindProgress)
  | { type: 'setup'; cluster: string; step: string }
  | { type: 'end'; cluster: string; record: ClusterDict | null };

/** Turns snapshots into change events: a kind's counts, the cluster's status, the setup step. */
export async function* eventsOf(snapshots: AsyncIterable<StartSnapshot>): AsyncGenerator<ClusterEvent> {
  let status: string | undefined;
  let setupStep: string | null = null;
  const kinds = new Map<string, string>();
  let last: StartSnapshot | undefined;
  for await (const snapshot of snapshots) {
    last = snapshot;
    const record = snapshot.cluster;
    if (record === null) continue;
    // The first status opens the stream; later ones follow the counts that led to them
    // (`compute: 4/4 up`, then `ready`).
    const statusEvent: ClusterEvent | null = record.status === status ? null : { type: 'status', cluster: record.name, status: record.status, reason: record.statusReason };
    const opening = status === undefined;
    status = record.status;
    if (opening && statusEvent !== null) yield statusEvent;
    for (const [kind, progress] of Object.entries(snapshot.kinds)) {
      const key = JSON.stringify(progress);
      if (kinds.get(kind) === key) continue;
      kinds.set(kind, key);
      yield { type: 'kind', cluster: record.name, kind, ...progress };
    }
    if (!opening && statusEvent !== null) yield statusEvent;
    if (snapshot.setupStep !== null && snapshot.setupStep !== setupStep) {
      setupStep = snapshot.setupStep;
      yield { type: 'setup', cluster: record.name, step: snapshot.setupStep };
    }
  }
  if (last !== undefined) yield { type: 'end', cluster: last.cluster?.name ?? '', record: last.cluster };
}
