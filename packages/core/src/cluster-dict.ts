import { z } from 'zod';

// The persisted shape of a cluster (the store's record, `list-nodes --json`, export/import).
// It keeps ElastiCluster's state fields (elasticluster-notes §3.3) in camelCase and adds what the
// fleet needs to tell the truth about a start: a status per cluster and per node, the generation
// of the start, the last error and the pinned host key.

export const NODE_STATES = [
  'new', // in the record, no launch attempted yet
  'launching', // member of a launch batch whose RunInstances outcome is not recorded yet
  'pending', // the cloud returned an instance id; not running yet
  'running', // the cloud says running; SSH not proven yet
  'up', // an SSH handshake as the image user with the cluster key succeeded
  'down', // never became reachable before the deadline
  'failed', // could not be launched or probed (reason in lastError)
  'terminating',
  'terminated',
] as const;
export type NodeState = (typeof NODE_STATES)[number];

export const CLUSTER_STATUSES = [
  'starting',
  'setting-up',
  'ready',
  'degraded', // every kind reached its min_nodes; nodes that were not up were terminated
  'failed', // a kind fell below min_nodes (or the start could not begin): rolled back
  'setup-failed', // instances are running; the setup step failed (see per-node results)
  'stopping',
  'stopped',
] as const;
export type ClusterStatus = (typeof CLUSTER_STATUSES)[number];

export const HostKeySchema = z.object({ type: z.string(), base64: z.string(), fingerprint: z.string() });

export const NodeDictSchema = z.object({
  name: z.string(),
  clusterName: z.string(),
  kind: z.string(),
  imageId: z.string(),
  imageUser: z.string(),
  imageUserdata: z.string().default(''),
  flavor: z.string(),
  securityGroup: z.string(),
  userKeyName: z.string(),
  userKeyPublic: z.string(),
  userKeyPrivate: z.string(),
  sshProxyCommand: z.string().default(''),
  instanceId: z.string().nullable().default(null),
  ips: z.array(z.string()).default([]),
  preferredIp: z.string().nullable().default(null),
  /** Remaining kind keys (min_num, login label, network_ids, boot_disk_*, price ...). */
  extra: z.record(z.string(), z.unknown()).default({}),
  // --- elastiq fleet fields ---
  state: z.enum(NODE_STATES).default('new'),
  lastError: z.string().nullable().default(null),
  hostKey: HostKeySchema.nullable().default(null),
  /** SSH port (22 on a real cloud; cloud-sim's unprivileged mode uses others). */
  sshPort: z.number().int().positive().default(22),
  setupStatus: z.enum(['ok', 'failed', 'unreachable', 'skipped']).nullable().default(null),
  /** The generation (start or resize) that launched this node; absent in records written before resize existed: the cluster's generation. */
  generation: z.number().int().positive().optional(),
});
export type NodeDict = z.infer<typeof NodeDictSchema>;

/**
 * Which cloud a cluster lives on, kept in the record so that `stop` works even after its template
 * was edited or removed. Credentials are never stored: only where a worker finds them.
 */
export const CloudSettingsSchema = z.object({
  provider: z.literal('ec2'),
  ec2Url: z.string(),
  ec2Region: z.string(),
  /** `env`, `aws-chain` or `config:<path>#<cloud section>`: resolved by the worker, never the keys. */
  credentialSource: z.string(),
  vpc: z.string().nullable().default(null),
});
export type CloudSettings = z.infer<typeof CloudSettingsSchema>;

export const ClusterDictSchema = z.object({
  name: z.string(),
  template: z.string(),
  availabilityZone: z.string().default(''),
  startTimeout: z.number().int().positive().default(600),
  sshProbeTimeout: z.number().int().positive().default(5),
  sshProxyCommand: z.string().default(''),
  sshTo: z.string().nullable().default(null),
  threadPoolMaxSize: z.union([z.number(), z.string()]).default(10),
  userKeyName: z.string(),
  userKeyPublic: z.string(),
  userKeyPrivate: z.string(),
  /** kind → nodes, in kind order. */
  nodes: z.record(z.string(), z.array(NodeDictSchema)),
  pausedNodes: z.record(z.string(), z.unknown()).default({}),
  extra: z.record(z.string(), z.unknown()).default({}),
  // --- elastiq fleet fields ---
  status: z.enum(CLUSTER_STATUSES).default('starting'),
  /** Why the cluster is in its status (a decision summary, a setup failure...). */
  statusReason: z.string().nullable().default(null),
  /** Increases at every start of the same name; part of every ClientToken and cloud tag. */
  generation: z.number().int().nonnegative().default(1),
  /** kind → min_nodes wanted at start. */
  minNodes: z.record(z.string(), z.number().int().nonnegative()).default({}),
  cloud: CloudSettingsSchema.nullable().default(null),
  /** When the running start gives up waiting (ISO time); null when no start is in progress. */
  startDeadline: z.string().nullable().default(null),
  createdAt: z.string().default(() => new Date(0).toISOString()),
  updatedAt: z.string().default(() => new Date(0).toISOString()),
});
export type ClusterDict = z.infer<typeof ClusterDictSchema>;
