import type { SimInstance, SimStats } from './cloud-sim-process';

// What a measured start is reduced to. Everything comes from cloud-sim's own records (boot
// draws, SSH-ready instants, API call counters), so elastiq and the baseline are judged by the
// same witness.

export interface Ec2Calls {
  /** Calls per EC2 action, throttled ones included (they cost a round trip too). */
  byAction: Record<string, number>;
  total: number;
  throttled: number;
}

export interface BootFloor {
  /** The longest launch → SSH-ready delay drawn: what a tool launching everything at t=0 needs. */
  floorMs: number;
  /** When the last instance started answering SSH (epoch ms). */
  lastSshReadyAt: number;
  instancesLaunched: number;
  instancesSshReady: number;
}

export interface StartRunResult {
  label: string;
  tool: 'elastiq' | 'baseline';
  nodes: number;
  /** elastiq-worker processes (null for the baseline, a single process). */
  workers: number | null;
  runtime: 'sshd' | 'light';
  /** Nodes the tool reported up at the end of its start. */
  nodesUp: number;
  outcome: string;
  timeToReadyMs: number;
  floorMs: number;
  /** timeToReady / floor: 1.00 is a tool that waits for nothing but the cloud. */
  ratio: number;
  /** From the last instance answering SSH to the tool deciding the start is over. */
  decisionDelayMs: number;
  stopMs: number;
  /** The stop job's log: one line per sweep (what it terminated, what was still alive). */
  stopLog?: string[];
  startCalls: Ec2Calls;
  stopCalls: Ec2Calls;
  /** (start + stop calls) / nodes. */
  callsPerNode: number;
  peakWorkerRssMb: number[];
  cloudSimPeakRssMb: number | null;
  /** Nodes per second of the whole start (N / time to ready). */
  throughputNodesPerSecond: number;
  /** Where the time went, ms after the start request (the profile behind the ratio). */
  phases: StartPhases;
  notes: string[];
}

export interface StartPhases {
  firstLaunch: number;
  lastLaunch: number;
  lastRunning: number | null;
  lastSshReady: number;
  /** elastiq: the last node job reporting its node up; baseline: the end of its running phase. */
  lastNodeReported: number | null;
  decided: number;
  ready: number;
}

/** Launch and boot instants of a start, relative to its request (from cloud-sim's records). */
export function launchPhases(instances: SimInstance[], startedAt: number): Pick<StartPhases, 'firstLaunch' | 'lastLaunch' | 'lastRunning'> {
  const launched = instances.map((instance) => Date.parse(instance.launchedAt) - startedAt);
  const running = instances.flatMap((instance) => (instance.runningAt ? [Date.parse(instance.runningAt) - startedAt] : []));
  return {
    firstLaunch: Math.min(...launched),
    lastLaunch: Math.max(...launched),
    lastRunning: running.length > 0 ? Math.max(...running) : null,
  };
}

export function callsBetween(before: SimStats | null, after: SimStats): Ec2Calls {
  const byAction: Record<string, number> = {};
  for (const [action, stats] of Object.entries(after.byAction)) {
    const calls = stats.calls - (before?.byAction[action]?.calls ?? 0);
    if (calls > 0) byAction[action] = calls;
  }
  return {
    byAction,
    total: after.totalCalls - (before?.totalCalls ?? 0),
    throttled: after.throttled - (before?.throttled ?? 0),
  };
}

export function bootFloor(instances: SimInstance[]): BootFloor {
  let floorMs = 0;
  let lastSshReadyAt = 0;
  let instancesSshReady = 0;
  for (const instance of instances) {
    if (instance.sshReadyAt === null) continue;
    instancesSshReady += 1;
    const readyAt = Date.parse(instance.sshReadyAt);
    floorMs = Math.max(floorMs, readyAt - Date.parse(instance.launchedAt));
    lastSshReadyAt = Math.max(lastSshReadyAt, readyAt);
  }
  return { floorMs, lastSshReadyAt, instancesLaunched: instances.length, instancesSshReady };
}

export function megabytes(bytes: number | null): number {
  return bytes === null ? Number.NaN : Math.round((bytes / 1024 / 1024) * 10) / 10;
}
