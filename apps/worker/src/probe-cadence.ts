import type { FleetTuning } from './fleet-tuning';

// When a node's probe job looks again. Two phases, because they cost different things:
// - pending: only the cloud can say when the instance runs, and it says so through the shared
//   DescribeInstances snapshot; looking before that snapshot is refreshed learns nothing.
// - running: an SSH connect to a port that is not open yet is refused at once (cheap), and every
//   interval between probes is time the cluster may sit ready unnoticed, so probe often. Only a
//   node that stays unreachable well past a normal boot backs off, so that a node that never
//   comes up costs a handful of handshakes per minute, not hundreds.
// A small jitter keeps a 1000-node start from probing in lockstep.

export type ProbeCadence = Pick<FleetTuning, 'probeIntervalMs' | 'probeBackoffAfterMs' | 'probeMaxDelayMs' | 'describeMaxAgeMs'>;

const JITTER = 0.1;
/** Past the snapshot's expiry, how long to give the worker that refreshes it. */
const REFRESH_ALLOWANCE_MS = 100;

/** Next look at a node the cloud does not report running yet, given the age of the snapshot just read. */
export function nextPendingLookMs(cadence: ProbeCadence, snapshotAgeMs: number): number {
  const untilStale = Math.max(0, cadence.describeMaxAgeMs - snapshotAgeMs);
  return withJitter(untilStale + REFRESH_ALLOWANCE_MS);
}

/**
 * Next SSH probe of a running node that did not answer: every interval for the first
 * `probeBackoffAfterMs` of running, then the wait grows by a quarter of the time past that
 * threshold, up to the max.
 */
export function nextProbeDelayMs(cadence: ProbeCadence, runningForMs: number): number {
  const pastThreshold = Math.max(0, runningForMs - cadence.probeBackoffAfterMs);
  const base = Math.min(Math.max(cadence.probeMaxDelayMs, cadence.probeIntervalMs), cadence.probeIntervalMs + pastThreshold / 4);
  return withJitter(base);
}

function withJitter(ms: number): number {
  return Math.round(ms * (1 - JITTER + Math.random() * 2 * JITTER));
}
