import { z } from 'zod';

// Job payloads: references only (cluster name, generation, node name). Everything else a
// processor needs is in the cluster record or the fleet state, so a payload never carries key
// material or credentials, and Bull Board can show it to anyone. `v` lets a worker refuse a
// payload written by a producer of another version instead of misreading it.

export const PAYLOAD_VERSION = 1;

const clusterName = z.string().min(1, 'must be a non-empty cluster name');
const nodeName = z.string().min(1, 'must be a non-empty node name');
const generation = z.number().int().positive();
const version = z.literal(PAYLOAD_VERSION, { error: `must be ${PAYLOAD_VERSION} (the payload version this worker reads)` });

// `kind` is there for people (Bull Board, logs), not for the processor, which reads the node from
// the record. It is optional and the version stays 1: a job queued by an older producer has none,
// and an older worker ignores the key, so workers and producers of both builds run side by side
// during an upgrade (a v2 would fail every queued job of the other build at once).
const nodeKind = z.string().min(1, 'must be a non-empty node kind').optional();

export const NodeStartPayloadSchema = z.object({ v: version, cluster: clusterName, generation, node: nodeName, kind: nodeKind });
export type NodeStartPayload = z.infer<typeof NodeStartPayloadSchema>;

export const NodeProbePayloadSchema = z.object({
  v: version,
  cluster: clusterName,
  generation,
  node: nodeName,
  kind: nodeKind,
  /** Step state of the step job: how many probe rounds ran so far (drives the back-off). */
  round: z.number().int().nonnegative().default(0),
  /** Step state: when a probe first saw the instance running (epoch ms); drives the back-off. */
  runningSince: z.number().int().nonnegative().optional(),
  /** Step state: the node's instance and the start's deadline (both written once), so a round does not read them again. */
  instanceId: z.string().min(1).optional(),
  deadline: z.number().int().nonnegative().optional(),
  /** Step state: the reason last noted and reported, so an unchanged one costs no write per round. */
  lastReason: z.string().optional(),
});
export type NodeProbePayload = z.infer<typeof NodeProbePayloadSchema>;

/** The one watcher per start or resize generation that wakes the probes of instances the cloud now runs. */
export const ProbeWatchPayloadSchema = z.object({
  v: version,
  cluster: clusterName,
  generation,
  /** Step state: how many parked probes it has woken so far (shown in its progress and result). */
  woken: z.number().int().nonnegative().default(0),
});
export type ProbeWatchPayload = z.infer<typeof ProbeWatchPayloadSchema>;

export const NodeStopPayloadSchema = z.object({
  v: version,
  cluster: clusterName,
  generation,
  node: nodeName,
  reason: z.string().default('stopped by request'),
});
export type NodeStopPayload = z.infer<typeof NodeStopPayloadSchema>;

export const CoordinatorPayloadSchema = z.object({
  v: version,
  cluster: clusterName,
  generation,
  /** false with `start --no-setup`: the cluster is ready as soon as the decision is made. */
  runSetup: z.boolean().default(true),
  /** Step state: re-checks done after a rollback (launches that finish late are terminated too). */
  sweep: z.number().int().nonnegative().default(0),
});
export type CoordinatorPayload = z.infer<typeof CoordinatorPayloadSchema>;

export const ClusterStopPayloadSchema = z.object({
  v: version,
  cluster: clusterName,
  /** The generation whose start this stop supersedes. */
  generation,
  /** Delete the record even when the cloud still reports instances. */
  force: z.boolean().default(false),
  /** Step state: sweeps done so far (a stop re-checks for launches that finish late). */
  sweep: z.number().int().nonnegative().default(0),
});
export type ClusterStopPayload = z.infer<typeof ClusterStopPayloadSchema>;

export const ClusterSetupPayloadSchema = z.object({
  v: version,
  cluster: clusterName,
  generation,
  /**
   * `elastiq setup NAME -- ARGS`: words added to this run's ansible-playbook command line. They are
   * the user's own arguments (no key material is put there by elastiq), so Bull Board may show
   * them. Optional: a job of an older producer has none, and the version stays 1.
   */
  extraArgs: z
    .array(z.string().min(1, 'must not be an empty argument').max(4096, 'must be at most 4096 characters').refine((arg) => !arg.includes('\0'), 'must not contain a NUL byte'))
    .max(100, 'must be at most 100 arguments')
    .optional(),
});
export type ClusterSetupPayload = z.infer<typeof ClusterSetupPayloadSchema>;

const pauseEpoch = z.number().int().positive();
/** What identifies one pause (and the resume after it): the record's pause epoch under a generation. */
const pauseIdentity = { v: version, cluster: clusterName, generation, epoch: pauseEpoch };

export const ClusterPausePayloadSchema = z.object({
  ...pauseIdentity,
  /** Step state: looks at the cloud so far (StopInstances is re-sent to instances still running). */
  sweep: z.number().int().nonnegative().default(0),
});
export type ClusterPausePayload = z.infer<typeof ClusterPausePayloadSchema>;

export const ClusterResumePayloadSchema = z.object({
  ...pauseIdentity,
  /** Step state: StartInstances was sent and the node jobs were added. */
  started: z.boolean().default(false),
});
export type ClusterResumePayload = z.infer<typeof ClusterResumePayloadSchema>;

/** A node's probe during a resume: the same step state as node-probe, plus the pause epoch. */
export const NodeResumePayloadSchema = NodeProbePayloadSchema.extend({ epoch: pauseEpoch });
export type NodeResumePayload = z.infer<typeof NodeResumePayloadSchema>;

export const ClusterUpdatePayloadSchema = z.object({ v: version, cluster: clusterName });
export type ClusterUpdatePayload = z.infer<typeof ClusterUpdatePayloadSchema>;
/** `resize -r` and `remove-node`: the nodes are in the generation's plan (resize-plan.ts), not here. */
export const ClusterShrinkPayloadSchema = z.object({ v: version, cluster: clusterName, generation });
export type ClusterShrinkPayload = z.infer<typeof ClusterShrinkPayloadSchema>;
export const FleetGcPayloadSchema = z.object({
  v: version,
  /** List the orphans without terminating them (`elastiq gc` without `--yes`). */
  dryRun: z.boolean(),
  /** The grace period: instances launched less than this long ago are never collected. */
  olderThanMs: z.number().int().nonnegative(),
});
export type FleetGcPayload = z.infer<typeof FleetGcPayloadSchema>;
