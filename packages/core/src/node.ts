import { type NodeDict, NodeDictSchema, type NodeState } from './cluster-dict';
import type { PausedNode } from './pause-resume';
import { ElastiqError, EXIT_CODES } from './errors';
import { isPrivateAddress } from './ip-address';
import { withoutKeyMaterial } from './key-material';
import { formatZodIssues } from './zod-issues';

/**
 * One machine of a cluster: what to launch (image, flavor, user) and what is known about it
 * (instance, IPs, state, pinned host key). It holds state only; launching, probing and
 * terminating are the fleet's jobs.
 */
export class Node {
  readonly name: string;
  readonly clusterName: string;
  readonly kind: string;
  imageId: string;
  imageUser: string;
  imageUserdata: string;
  flavor: string;
  securityGroup: string;
  userKeyName: string;
  /** Paths, never key material. */
  userKeyPublic: string;
  userKeyPrivate: string;
  sshProxyCommand: string;
  instanceId: string | null;
  ips: string[];
  preferredIp: string | null;
  extra: Record<string, unknown>;
  state: NodeState;
  lastError: string | null;
  hostKey: NodeDict['hostKey'];
  sshPort: number;
  setupStatus: NodeDict['setupStatus'];
  /** The start or resize that launched the node; undefined in older records (the cluster's generation). */
  generation: number | undefined;

  constructor(dict: NodeDict) {
    this.name = dict.name;
    this.clusterName = dict.clusterName;
    this.kind = dict.kind;
    this.imageId = dict.imageId;
    this.imageUser = dict.imageUser;
    this.imageUserdata = dict.imageUserdata;
    this.flavor = dict.flavor;
    this.securityGroup = dict.securityGroup;
    this.userKeyName = dict.userKeyName;
    this.userKeyPublic = dict.userKeyPublic;
    this.userKeyPrivate = dict.userKeyPrivate;
    this.sshProxyCommand = dict.sshProxyCommand;
    this.instanceId = dict.instanceId;
    this.ips = [...dict.ips];
    this.preferredIp = dict.preferredIp;
    this.extra = structuredClone(dict.extra);
    this.state = dict.state;
    this.lastError = dict.lastError;
    this.hostKey = dict.hostKey === null ? null : { ...dict.hostKey };
    this.sshPort = dict.sshPort;
    this.setupStatus = dict.setupStatus;
    this.generation = dict.generation;
  }

  /** Validates a stored node (defaults filled in); the error names every invalid field. */
  static fromDict(dict: unknown, description = 'node record'): Node {
    const parsed = NodeDictSchema.safeParse(dict);
    if (!parsed.success) {
      throw new ElastiqError(`invalid ${description}: ${formatZodIssues(parsed.error).join('; ')}`, {
        hint: 'the record was written by another version or edited by hand; fix the fields named',
        exitCode: EXIT_CODES.dataError,
      });
    }
    return new Node(parsed.data);
  }

  /** The name of the VM on the cloud (its Name tag): `<cluster>-<node>`. */
  get vmName(): string {
    return `${this.clusterName}-${this.name}`;
  }

  /**
   * The address to connect to: the one the last successful probe used, else a public one, else a
   * private one (ElastiCluster prefers public addresses), else null when none is known yet.
   */
  connectionIp(): string | null {
    if (this.preferredIp) return this.preferredIp;
    return this.ips.find((ip) => !isPrivateAddress(ip)) ?? this.ips[0] ?? null;
  }

  /**
   * Marks the node paused (its instance is stopped) and returns what is needed to restart it:
   * the instance and the addresses it had, against which a resume tells whether they changed.
   */
  pause(): PausedNode {
    this.state = 'paused';
    return { instanceId: this.instanceId, ips: [...this.ips], preferredIp: this.connectionIp() };
  }

  /**
   * Takes the addresses the cloud reports now (after a resume or an update). Returns whether the
   * address to connect to changed: then whatever was configured with the old one (setup,
   * known_hosts) is out of date. Nothing is learnt from an empty list (a stopped EC2 instance
   * has no public address), so the known ones are kept.
   */
  updateIps(ips: readonly string[], preferredIp: string | null = null): boolean {
    if (ips.length === 0) return false;
    const before = this.connectionIp();
    this.ips = [...ips];
    this.preferredIp = preferredIp !== null && ips.includes(preferredIp) ? preferredIp : null;
    const after = this.connectionIp();
    return before !== null && before !== after;
  }

  toDict(): NodeDict {
    return {
      name: this.name,
      clusterName: this.clusterName,
      kind: this.kind,
      imageId: this.imageId,
      imageUser: this.imageUser,
      imageUserdata: this.imageUserdata,
      flavor: this.flavor,
      securityGroup: this.securityGroup,
      userKeyName: this.userKeyName,
      userKeyPublic: this.userKeyPublic,
      userKeyPrivate: this.userKeyPrivate,
      sshProxyCommand: this.sshProxyCommand,
      instanceId: this.instanceId,
      ips: [...this.ips],
      preferredIp: this.preferredIp,
      extra: structuredClone(this.extra),
      state: this.state,
      lastError: this.lastError,
      hostKey: this.hostKey === null ? null : { ...this.hostKey },
      sshPort: this.sshPort,
      setupStatus: this.setupStatus,
      generation: this.generation,
    };
  }

  /**
   * The node's variables for the setup playbook (`elasticluster.nodes.<name>`), with ElastiCluster's
   * snake_case names so existing playbooks keep working. The kind's extra keys are merged in;
   * cluster name, proxy command and key paths are left out, as upstream does (notes §5.2), and a
   * value that is key material is never included.
   */
  toVarsDict(): Record<string, unknown> {
    return withoutKeyMaterial({
      ...this.extra,
      name: this.name,
      kind: this.kind,
      user_key_name: this.userKeyName,
      image_user: this.imageUser,
      security_group: this.securityGroup,
      image_id: this.imageId,
      image_userdata: this.imageUserdata,
      flavor: this.flavor,
      instance_id: this.instanceId,
      preferred_ip: this.preferredIp,
      ips: [...this.ips],
    });
  }
}
