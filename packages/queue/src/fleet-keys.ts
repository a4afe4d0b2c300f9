// Redis keys of the fleet's coordination state for one start (cluster + generation). They live
// under the runtime queuePrefix, next to BullMQ's own keys, so a test isolates itself by prefix
// and `elastiq stop` can delete a generation's state with one SCAN pattern.

export interface GenerationKeys {
  /** Start deadline, epoch ms: data, not a timer, so it holds while every worker is down. */
  deadline: string;
  /** Hash node → NodeResult JSON, written by node jobs, read by the coordinator. */
  results: string;
  /** The coordinator's decision JSON, written once (SET NX) and then only acted upon. */
  decision: string;
  /** Hash node → launch batch id the node is a member of. */
  nodeBatch: string;
  /** Hash node → instance id the cloud gave the node. */
  nodeInstance: string;
  /** Hash node → the last reason a launch or probe did not succeed (named at the deadline). */
  nodeLastError: string;
  /** Set once the key pair and launch parameters were checked for this generation. */
  prepared: string;
  /** Hash node → instance id whose per-node tags (Name) are not set yet: tagging is off the critical path. */
  pendingNames: string;
  /** Cached tag-filtered DescribeInstances of the generation, shared by all probe jobs. */
  describe: string;
  describeLock: string;
  /** Hash instance id → node whose probe is parked until the cloud runs the instance (the probe watcher wakes it). */
  awaitingRunning: string;
  /** A resize's plan (resize-plan.ts), written once before its record: what it adds or removes and what to restore. */
  plan: string;
  batch(batchId: string): string;
  /** Hash offering label → why it launched nothing for this kind in this generation: failover never goes back to it. */
  offeringRefusals(kind: string): string;
  /** Every key of the generation (for cleanup): a SCAN MATCH pattern. */
  pattern: string;
}

function encode(part: string | number): string {
  return encodeURIComponent(String(part));
}

export function generationKeys(prefix: string, cluster: string, generation: number): GenerationKeys {
  const base = `${prefix}:fleet:${encode(cluster)}:${generation}`;
  return {
    deadline: `${base}:deadline`,
    results: `${base}:results`,
    decision: `${base}:decision`,
    nodeBatch: `${base}:node-batch`,
    nodeInstance: `${base}:node-instance`,
    nodeLastError: `${base}:node-last-error`,
    prepared: `${base}:prepared`,
    pendingNames: `${base}:pending-names`,
    describe: `${base}:describe`,
    describeLock: `${base}:describe-lock`,
    awaitingRunning: `${base}:awaiting-running`,
    plan: `${base}:plan`,
    batch: (batchId) => `${base}:batch:${encode(batchId)}`,
    offeringRefusals: (kind) => `${base}:offering-refusals:${encode(kind)}`,
    pattern: `${base}:*`,
  };
}

/**
 * The unavailable-offerings cache shared by every worker (issue 11): one key per (cloud, offering),
 * expiring by itself. `pattern` finds them all for `elastiq capacity`.
 */
export function unavailableOfferingKey(prefix: string, cloud: string, offering: string): string {
  return `${prefix}:capacity:unavailable:${encode(cloud)}:${encode(offering)}`;
}
export function unavailableOfferingPattern(prefix: string): string {
  return `${prefix}:capacity:unavailable:*`;
}

/** Token buckets of the cloud API, shared by every worker of the installation. */
export function rateLimitKey(prefix: string, bucket: string): string {
  return `${prefix}:ratelimit:${encode(bucket)}`;
}

/** Per-name generation counter; never deleted, so a generation number is never reused. */
export function generationCounterKey(prefix: string, cluster: string): string {
  return `${prefix}:fleet:${encode(cluster)}:generation-counter`;
}

/** Fleet state of one resume (cluster, generation, pause epoch): under the generation's keys, so a stop deletes it too. */
export interface ResumeKeys {
  deadline: string;
  /** Hash node → NodeResult JSON (HSETNX: the first report wins). */
  results: string;
  /** The decision JSON (SET NX). */
  decision: string;
  nodeLastError: string;
  /** Shared tag-filtered DescribeInstances of the whole cluster during the resume. */
  describe: string;
  describeLock: string;
}

export function resumeKeys(prefix: string, cluster: string, generation: number, epoch: number): ResumeKeys {
  const base = `${prefix}:fleet:${encode(cluster)}:${generation}:resume:${epoch}`;
  return {
    deadline: `${base}:deadline`,
    results: `${base}:results`,
    decision: `${base}:decision`,
    nodeLastError: `${base}:node-last-error`,
    describe: `${base}:describe`,
    describeLock: `${base}:describe-lock`,
  };
}
