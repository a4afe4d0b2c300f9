// One BullMQ queue per job kind: a worker chooses which kinds it serves (only machines with
// ansible-playbook take setup jobs), each kind gets its own concurrency, and Bull Board shows
// node starts, probes and stops as separate lists a user can reason about.

export const QUEUE_NAMES = {
  nodeStart: 'node-start',
  nodeProbe: 'node-probe',
  probeWatch: 'probe-watch',
  nodeStop: 'node-stop',
  clusterCoordinator: 'cluster-coordinator',
  clusterStop: 'cluster-stop',
  clusterSetup: 'cluster-setup',
  clusterPause: 'cluster-pause',
  clusterResume: 'cluster-resume',
  nodeResume: 'node-resume',
  clusterUpdate: 'cluster-update',
  clusterShrink: 'cluster-shrink',
  fleetGc: 'fleet-gc',
} as const;

export type QueueKind = keyof typeof QUEUE_NAMES;
export type QueueName = (typeof QUEUE_NAMES)[QueueKind];

export const ALL_QUEUE_KINDS = Object.keys(QUEUE_NAMES) as QueueKind[];
