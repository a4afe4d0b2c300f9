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
  /** The part of the floor RunInstances' resource bucket forces (0 up to 1,000 × scale instances). */
  launchBucketForcedMs: number;
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
  /** What no stop could avoid: the TerminateInstances bucket, and the cloud's own shutting-down → terminated. */
  stopFloor?: StopFloor;
  /** cloud-sim's bucket scale (--rate-limit-scale): 1 is AWS-sized. */
  rateLimitScale?: number;
  /** The part of floorMs RunInstances' resource bucket forces. */
  launchBucketForcedMs?: number;
  /** `elastiq list-nodes` during the start (the real CLI as a child process): wall time of each run, ms. */
  cliListNodesMs?: number[];
  /** Redis INFO memory used_memory_peak after the start, MB. */
  redisUsedMemoryPeakMb?: number;
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

/** cloud-sim's (AWS-sized) resource buckets: one token per instance launched or terminated. */
const RUN_INSTANCES_RESOURCE = { capacity: 1000, refillPerSecond: 2 };
const TERMINATE_INSTANCES_RESOURCE = { capacity: 1000, refillPerSecond: 20 };

/** When the bucket lets the k-th instance (0-based) through at the earliest, ms after a full bucket's first call. */
function bucketWaitMs(k: number, bucket: { capacity: number; refillPerSecond: number }, scale: number): number {
  return Math.max(0, ((k + 1 - bucket.capacity * scale) / (bucket.refillPerSecond * scale)) * 1000);
}

/**
 * The floor no tool can go below: each instance's drawn boot (launch → SSH-ready, as cloud-sim
 * delivered it) after the earliest moment RunInstances' resource bucket lets it be launched. The
 * tool is granted the best order (longest boots through the bucket first). Up to the bucket's
 * size (1,000 × scale) that wait is 0 and the floor is the longest boot.
 */
export function bootFloor(instances: SimInstance[], rateLimitScale = 1): BootFloor {
  let lastSshReadyAt = 0;
  const boots: number[] = [];
  for (const instance of instances) {
    if (instance.sshReadyAt === null) continue;
    const readyAt = Date.parse(instance.sshReadyAt);
    boots.push(readyAt - Date.parse(instance.launchedAt));
    lastSshReadyAt = Math.max(lastSshReadyAt, readyAt);
  }
  boots.sort((a, b) => b - a);
  let floorMs = 0;
  let bucketForcedMs = 0;
  boots.forEach((boot, k) => {
    const wait = bucketWaitMs(k, RUN_INSTANCES_RESOURCE, rateLimitScale);
    bucketForcedMs = Math.max(bucketForcedMs, wait);
    floorMs = Math.max(floorMs, wait + boot);
  });
  return { floorMs, launchBucketForcedMs: bucketForcedMs, lastSshReadyAt, instancesLaunched: instances.length, instancesSshReady: boots.length };
}

export interface StopFloor {
  /** How long TerminateInstances' resource bucket holds back the last of `n` ids (0 up to its size). */
  bucketForcedMs: number;
  /** From the stop request to the last instance cloud-sim reported terminated ("when the cloud says so"). */
  cloudTerminatedMs: number | null;
}

export function stopFloor(instances: SimInstance[], stopRequestedAt: number, rateLimitScale = 1): StopFloor {
  const terminated = instances.flatMap((instance) => (instance.terminatedAt ? [Date.parse(instance.terminatedAt)] : []));
  return {
    bucketForcedMs: instances.length === 0 ? 0 : bucketWaitMs(instances.length - 1, TERMINATE_INSTANCES_RESOURCE, rateLimitScale),
    cloudTerminatedMs: terminated.length === instances.length && terminated.length > 0 ? Math.max(...terminated) - stopRequestedAt : null,
  };
}

export function megabytes(bytes: number | null): number {
  return bytes === null ? Number.NaN : Math.round((bytes / 1024 / 1024) * 10) / 10;
}
