import { z } from 'zod';
import { type CloudSettings, type ClusterDict, ClusterDictSchema, type ClusterStatus } from './cluster-dict';
import { ElastiqError, EXIT_CODES, NodeNotFound } from './errors';
import { withoutKeyMaterial } from './key-material';
import { Node } from './node';
import { assertValidNodeKind } from './node-kind';
import { NodeNamingPolicy } from './node-naming-policy';
import {
  beginPause,
  beginResume,
  finishPause,
  finishResume,
  type NodeResumeResult,
  type PausePlan,
  type ResumeApplied,
  type ResumableStatus,
  type ResumeOutcome,
  type ResumePlan,
} from './pause-resume';
import { selectSshTarget } from './ssh-target';
import { type ConfigUpdate, planConfigUpdate } from './update-config';
import { formatZodIssues } from './zod-issues';

/**
 * Everything of a cluster record but its nodes, with the reference constructor's defaults
 * (`Cluster(name, user_key_name='elasticluster-key', user_key_public='~/.ssh/id_rsa.pub',
 * user_key_private='~/.ssh/id_rsa', start_timeout=600, ssh_probe_timeout=5,
 * thread_pool_max_size=10)`): `new Cluster({ name })` alone is a cluster. A stored record still
 * needs every field (ClusterDictSchema).
 */
const ClusterSettingsSchema = ClusterDictSchema.omit({ nodes: true }).extend({
  template: z.string().default(''),
  userKeyName: z.string().default('elasticluster-key'),
  userKeyPublic: z.string().default('~/.ssh/id_rsa.pub'),
  userKeyPrivate: z.string().default('~/.ssh/id_rsa'),
});
/** Everything of a cluster record but its nodes; omitted fields get the record's defaults. */
export type ClusterOptions = z.input<typeof ClusterSettingsSchema>;

/** What a node of a kind is launched from; the key pair and proxy command come from the cluster. */
export interface NodeSpec {
  imageId: string;
  imageUser: string;
  flavor: string;
  securityGroup: string;
  imageUserdata?: string;
  /** Defaults to the cluster's ssh_proxy_command. */
  sshProxyCommand?: string;
  sshPort?: number;
  /** The kind's remaining keys (min_num, login label, network_ids, boot_disk_*, price...). */
  extra?: Record<string, unknown>;
}

/**
 * A cluster: its settings and its nodes by kind, in kind order. It holds state and makes the
 * naming decisions; cloud, SSH and setup actions belong to the fleet.
 */
export class Cluster {
  readonly name: string;
  template: string;
  availabilityZone: string;
  startTimeout: number;
  sshProbeTimeout: number;
  sshProxyCommand: string;
  sshTo: string | null;
  threadPoolMaxSize: number | string;
  userKeyName: string;
  /** Paths, never key material. */
  userKeyPublic: string;
  userKeyPrivate: string;
  pausedNodes: Record<string, unknown>;
  extra: Record<string, unknown>;
  status: ClusterStatus;
  statusReason: string | null;
  generation: number;
  minNodes: Record<string, number>;
  /** Where the cluster's instances live (a credential *source*, never keys). */
  cloud: CloudSettings | null;
  /** ISO time at which the running start stops waiting; null when no start is in progress. */
  startDeadline: string | null;
  pauseEpoch: number;
  statusBeforePause: ResumableStatus | null;
  createdAt: string;
  updatedAt: string;

  private readonly nodesByKind: Record<string, Node[]> = {};
  /** Name lookups stay O(1) for clusters of thousands of nodes. */
  private readonly nodesByName = new Map<string, Node>();
  private readonly namingPolicy: NodeNamingPolicy;

  constructor(options: ClusterOptions, namingPolicy: NodeNamingPolicy = new NodeNamingPolicy()) {
    const parsed = ClusterSettingsSchema.safeParse(options);
    if (!parsed.success) throw invalidRecord(String(options?.name ?? '?'), parsed.error);
    const settings = parsed.data;
    this.name = settings.name;
    this.template = settings.template;
    this.availabilityZone = settings.availabilityZone;
    this.startTimeout = settings.startTimeout;
    this.sshProbeTimeout = settings.sshProbeTimeout;
    this.sshProxyCommand = settings.sshProxyCommand;
    this.sshTo = settings.sshTo;
    this.threadPoolMaxSize = settings.threadPoolMaxSize;
    this.userKeyName = settings.userKeyName;
    this.userKeyPublic = settings.userKeyPublic;
    this.userKeyPrivate = settings.userKeyPrivate;
    this.pausedNodes = structuredClone(settings.pausedNodes);
    this.extra = structuredClone(settings.extra);
    this.status = settings.status;
    this.statusReason = settings.statusReason;
    this.generation = settings.generation;
    this.minNodes = { ...settings.minNodes };
    this.cloud = settings.cloud === null ? null : { ...settings.cloud };
    this.startDeadline = settings.startDeadline;
    this.pauseEpoch = settings.pauseEpoch ?? 0;
    this.statusBeforePause = settings.statusBeforePause ?? null;
    this.createdAt = settings.createdAt;
    this.updatedAt = settings.updatedAt;
    this.namingPolicy = namingPolicy;
  }

  /**
   * Rebuilds a cluster from its record. Every stored name is marked used in the naming policy,
   * so new nodes fill the holes first (notes §5.1). `source` (a file, a store key) goes into errors.
   */
  static fromDict(dict: unknown, options: { source?: string; namingPolicy?: NodeNamingPolicy } = {}): Cluster {
    const parsed = ClusterDictSchema.safeParse(dict);
    const name = String((dict as { name?: unknown } | null)?.name ?? '?');
    if (!parsed.success) throw invalidRecord(name, parsed.error, options.source);
    const { nodes, ...settings } = parsed.data;
    const cluster = new Cluster(settings, options.namingPolicy);
    for (const [kind, nodeDicts] of Object.entries(nodes)) {
      cluster.ensureKind(kind);
      for (const nodeDict of nodeDicts) {
        const where = `nodes.${kind}: node \`${nodeDict.name}\``;
        if (nodeDict.kind !== kind) throw inconsistentRecord(name, `${where} has kind \`${nodeDict.kind}\``, options.source);
        if (nodeDict.clusterName !== name) {
          throw inconsistentRecord(name, `${where} belongs to cluster \`${nodeDict.clusterName}\``, options.source);
        }
        if (cluster.findNode(nodeDict.name)) throw inconsistentRecord(name, `${where} appears twice`, options.source);
        cluster.attach(new Node(nodeDict));
      }
    }
    return cluster;
  }

  /** kind → nodes, in kind order. A read-only view: change nodes through addNode/removeNode. */
  get nodes(): Readonly<Record<string, readonly Node[]>> {
    return this.nodesByKind;
  }

  kinds(): string[] {
    return Object.keys(this.nodesByKind);
  }

  /**
   * Adds a node (not launched: the fleet does that). Its name comes from the naming policy unless
   * given. Throws ConfigurationError for an invalid kind and ElastiqError for a name in use.
   */
  addNode(kind: string, spec: NodeSpec, name?: string): Node {
    assertValidNodeKind(kind);
    if (name !== undefined && this.findNode(name)) {
      throw new ElastiqError(`cluster \`${this.name}\` already has a node named \`${name}\``, {
        hint: 'leave the name out to get the next free one',
      });
    }
    const nodeName = name ?? this.nextFreeName(kind);
    const nodeDict = {
      name: nodeName,
      clusterName: this.name,
      kind,
      imageId: spec.imageId,
      imageUser: spec.imageUser,
      imageUserdata: spec.imageUserdata ?? '',
      flavor: spec.flavor,
      securityGroup: spec.securityGroup,
      userKeyName: this.userKeyName,
      userKeyPublic: this.userKeyPublic,
      userKeyPrivate: this.userKeyPrivate,
      sshProxyCommand: spec.sshProxyCommand ?? this.sshProxyCommand,
      sshPort: spec.sshPort,
      extra: spec.extra ?? {},
    };
    let node: Node;
    try {
      node = Node.fromDict(nodeDict, `node \`${nodeName}\` of kind \`${kind}\``);
    } catch (error) {
      // Leave no trace of a node that was never added: neither its name nor an empty kind.
      if (name === undefined) this.namingPolicy.free(kind, nodeName);
      throw error;
    }
    this.ensureKind(kind);
    this.attach(node);
    return node;
  }

  /** Adds `count` nodes of one kind; a count of 0 still declares the kind (ElastiCluster #672). */
  addNodes(kind: string, count: number, spec: NodeSpec): Node[] {
    if (!Number.isInteger(count) || count < 0) {
      throw new ElastiqError(`cannot add ${count} nodes of kind \`${kind}\`: the count must be a whole number ≥ 0`);
    }
    this.ensureKind(kind);
    return Array.from({ length: count }, () => this.addNode(kind, spec));
  }

  /** Every node, kind after kind. */
  getAllNodes(): Node[] {
    return Object.values(this.nodesByKind).flat();
  }

  findNode(name: string): Node | undefined {
    return this.nodesByName.get(name);
  }

  getNodeByName(name: string): Node {
    const node = this.findNode(name);
    if (!node) {
      throw new NodeNotFound(`cluster \`${this.name}\` has no node \`${name}\``, { clusterName: this.name, nodeName: name });
    }
    return node;
  }

  /** The node ssh/sftp connect to: `sshTo` (e.g. the CLI's -n) overrides the cluster's ssh_to. */
  getSshToNode(sshTo?: string | null): Node {
    return selectSshTarget(this.name, this.nodesByKind, sshTo ?? this.sshTo);
  }

  /**
   * Removes a node from the record and frees its name for reuse (the reference's
   * `remove_node(node, stop)`). Terminating it is the fleet's job: with `stop` a node that has an
   * instance is returned marked `terminating`, the fleet's cue to terminate that instance.
   */
  removeNode(nodeOrName: Node | string, { stop = false }: { stop?: boolean } = {}): Node {
    const node = this.getNodeByName(typeof nodeOrName === 'string' ? nodeOrName : nodeOrName.name);
    if (stop && node.instanceId !== null) node.state = 'terminating';
    const ofKind = this.nodesByKind[node.kind];
    ofKind.splice(ofKind.indexOf(node), 1);
    this.nodesByName.delete(node.name);
    this.namingPolicy.free(node.kind, node.name);
    return node;
  }

  /** kind → what a start needs: wanted = the kind's nodes, min = min_nodes (default: all of them). */
  startRequirements(): Record<string, { wanted: number; min: number }> {
    const requirements: Record<string, { wanted: number; min: number }> = {};
    for (const [kind, nodes] of Object.entries(this.nodesByKind)) {
      requirements[kind] = { wanted: nodes.length, min: Math.min(this.minNodes[kind] ?? nodes.length, nodes.length) };
    }
    return requirements;
  }

  /** Begins a pause (reference: Cluster.pause); refuses, in one line, a cluster that is not started. */
  pause(): PausePlan {
    return beginPause(this);
  }

  /** The cloud reports every instance stopped: each node keeps what it needs to restart. */
  pauseFinished(): void {
    finishPause(this);
  }

  /** Begins a resume of a paused cluster (reference: Cluster.resume); nodes get start_timeout from `now`. */
  resume(now: number): ResumePlan {
    return beginResume(this, now);
  }

  /** Writes a decided resume: node states and addresses, the next status, whether setup runs again. */
  resumeFinished(results: readonly NodeResumeResult[], outcome: Extract<ResumeOutcome, { decision: 'resumed' }>): ResumeApplied {
    return finishResume(this, results, outcome);
  }

  /**
   * The reference's update_config: takes over from a (re-read) configuration only what can change
   * under running nodes (ssh_to, ssh_proxy_command, the timeouts, the pool size) and says what
   * changed and which given keys were left alone.
   */
  updateConfig(config: Readonly<Record<string, unknown>>): ConfigUpdate {
    const { changes, report } = planConfigUpdate(this, config);
    Object.assign(this, changes);
    return report;
  }

  toDict(): ClusterDict {
    const nodes: ClusterDict['nodes'] = {};
    for (const [kind, ofKind] of Object.entries(this.nodesByKind)) nodes[kind] = ofKind.map((node) => node.toDict());
    return {
      name: this.name,
      template: this.template,
      availabilityZone: this.availabilityZone,
      startTimeout: this.startTimeout,
      sshProbeTimeout: this.sshProbeTimeout,
      sshProxyCommand: this.sshProxyCommand,
      sshTo: this.sshTo,
      threadPoolMaxSize: this.threadPoolMaxSize,
      userKeyName: this.userKeyName,
      userKeyPublic: this.userKeyPublic,
      userKeyPrivate: this.userKeyPrivate,
      nodes,
      pausedNodes: structuredClone(this.pausedNodes),
      extra: structuredClone(this.extra),
      status: this.status,
      statusReason: this.statusReason,
      generation: this.generation,
      minNodes: { ...this.minNodes },
      cloud: this.cloud === null ? null : { ...this.cloud },
      startDeadline: this.startDeadline,
      pauseEpoch: this.pauseEpoch,
      statusBeforePause: this.statusBeforePause,
      createdAt: this.createdAt,
      updatedAt: this.updatedAt,
    };
  }

  /**
   * The `elasticluster` variables for the setup playbook (notes §5.2), snake_case like upstream:
   * the cluster settings, every `extra` key at top level, and `nodes.<name>`. The setup step adds
   * `cloud` and `output_dir`. Proxy command, ssh_to and thread pool size are left out, as upstream
   * does; key *paths* are included, key material never.
   */
  toVarsDict(): Record<string, unknown> {
    const nodes: Record<string, unknown> = {};
    for (const node of this.getAllNodes()) nodes[node.name] = node.toVarsDict();
    return withoutKeyMaterial({
      ...this.extra,
      name: this.name,
      template: this.template,
      availability_zone: this.availabilityZone,
      ssh_probe_timeout: this.sshProbeTimeout,
      start_timeout: this.startTimeout,
      user_key_name: this.userKeyName,
      user_key_private: this.userKeyPrivate,
      user_key_public: this.userKeyPublic,
      paused_nodes: this.pausedNodes,
      nodes,
    });
  }

  private ensureKind(kind: string): void {
    if (this.nodesByKind[kind]) return;
    assertValidNodeKind(kind);
    this.nodesByKind[kind] = [];
  }

  private attach(node: Node): void {
    this.nodesByKind[node.kind].push(node);
    this.nodesByName.set(node.name, node);
    this.namingPolicy.use(node.kind, node.name);
  }

  /** A custom naming pattern may produce names use() cannot parse back: never hand out a taken one. */
  private nextFreeName(kind: string): string {
    for (;;) {
      const candidate = this.namingPolicy.new(kind);
      if (!this.findNode(candidate)) return candidate;
    }
  }
}

function invalidRecord(name: string, error: z.ZodError, source?: string): ElastiqError {
  const where = source ? ` (${source})` : '';
  return new ElastiqError(`cluster record \`${name}\`${where} is invalid: ${formatZodIssues(error).join('; ')}`, {
    hint: 'the record was written by another version or edited by hand; fix the fields named',
    exitCode: EXIT_CODES.dataError,
  });
}

function inconsistentRecord(name: string, problem: string, source?: string): ElastiqError {
  const where = source ? ` (${source})` : '';
  return new ElastiqError(`cluster record \`${name}\`${where} is inconsistent: ${problem}`, {
    hint: 'the record was edited by hand or by another tool; fix the node named',
    exitCode: EXIT_CODES.dataError,
  });
}
