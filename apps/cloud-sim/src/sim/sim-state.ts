import { randomBytes } from 'node:crypto';

// Everything cloud-sim knows about the simulated account: plain data, changed only by the
// action handlers and the instance lifecycle. No timers or processes live here.

export type InstanceStateName = 'pending' | 'running' | 'stopping' | 'stopped' | 'shutting-down' | 'terminated';

/** EC2's numeric state codes (the low byte of instanceState.code). */
export const STATE_CODES: Record<InstanceStateName, number> = {
  pending: 0,
  running: 16,
  'shutting-down': 32,
  terminated: 48,
  stopping: 64,
  stopped: 80,
};

export interface InstanceFaults {
  neverSshReady: boolean;
  noBanner: boolean;
  /** Milliseconds after SSH-ready at which the instance dies, if it should. */
  dieAfterMs?: number;
  /** Dying also terminates the instance (otherwise it hangs: `running` but unreachable). */
  dieTerminates?: boolean;
}

export interface SimInstance {
  instanceId: string;
  /** Launch order across the account; pagination cursors are built on it. */
  sequence: number;
  reservationId: string;
  imageId: string;
  instanceType: string;
  keyName?: string;
  availabilityZone: string;
  subnetId: string;
  securityGroups: Array<{ groupId: string; groupName: string }>;
  launchIndex: number;
  clientToken?: string;
  /** Decoded user data (a shell script runs at first boot). Never logged. */
  userData?: string;
  tags: Map<string, string>;
  state: InstanceStateName;
  stateTransitionReason: string;
  /** Launched with InstanceMarketOptions MarketType=spot: a one-time spot instance, ended on interruption. */
  spot?: { requestId: string; maxPrice: number };
  /** The loopback address the instance's SSH server listens on; private and public IP. */
  address: string;
  launchTime: Date;
  bootCount: number;
  faults: InstanceFaults;
  /** The key pair's public key at launch: what the image's login user accepts. */
  authorizedKeys?: string;
  times: {
    launchedAt: number;
    runningAt?: number;
    sshReadyAt?: number;
    stoppedAt?: number;
    terminatedAt?: number;
    diedAt?: number;
  };
  /** Where the SSH server answers; hostPublicKey is the OpenSSH line for known_hosts. */
  endpoint?: { address: string; port: number; hostKeyFingerprint: string; hostKeyType: string; hostPublicKey: string };
  userDataResult?: { exitCode: number | null };
  /** Why the SSH server could not be started or stopped, if it could not. */
  sshFailure?: string;
  accessKeyId?: string;
}

export interface SimReservation {
  reservationId: string;
  instanceIds: string[];
  groups: Array<{ groupId: string; groupName: string }>;
}

export interface SimKeyPair {
  keyPairId: string;
  keyName: string;
  keyFingerprint: string;
  keyType: string;
  publicKey: string;
  createdAt: Date;
}

export interface IpPermission {
  ipProtocol: string;
  fromPort?: number;
  toPort?: number;
  cidrIps: string[];
  sourceGroupIds: string[];
}

export interface SimSecurityGroup {
  groupId: string;
  groupName: string;
  description: string;
  vpcId: string;
  ingress: IpPermission[];
}

/** Remembered RunInstances calls: token → fingerprint of the parameters and the reservation. */
export interface ClientTokenRecord {
  parametersFingerprint: string;
  reservationId: string;
}

export function newResourceId(prefix: string): string {
  return `${prefix}-${randomBytes(9).toString('hex').slice(0, 17)}`;
}

export class SimState {
  instances = new Map<string, SimInstance>();
  reservations = new Map<string, SimReservation>();
  keyPairs = new Map<string, SimKeyPair>();
  securityGroups = new Map<string, SimSecurityGroup>();
  clientTokens = new Map<string, ClientTokenRecord>();
  private nextSequence = 1;

  constructor() {
    this.addDefaultSecurityGroup();
  }

  takeSequence(): number {
    return this.nextSequence++;
  }

  peekSequence(): number {
    return this.nextSequence;
  }

  /** After a kept account was restored: new launches sort after every restored one. */
  resumeSequenceAt(next: number): void {
    this.nextSequence = next;
  }

  /** Instances that hold a host, counted against capacity and quota (a stopped one does not). */
  occupyingInstances(): SimInstance[] {
    return [...this.instances.values()].filter(
      (instance) => instance.state === 'pending' || instance.state === 'running' || instance.state === 'stopping',
    );
  }

  /** Instances that still exist for dependency purposes (security groups): not terminated. */
  liveInstances(): SimInstance[] {
    return [...this.instances.values()].filter(
      (instance) => instance.state !== 'terminated' && instance.state !== 'shutting-down',
    );
  }

  findSecurityGroupByName(name: string): SimSecurityGroup | undefined {
    return [...this.securityGroups.values()].find((group) => group.groupName === name);
  }

  clear(): void {
    this.instances.clear();
    this.reservations.clear();
    this.keyPairs.clear();
    this.securityGroups.clear();
    this.clientTokens.clear();
    this.addDefaultSecurityGroup();
  }

  private addDefaultSecurityGroup(): void {
    const group: SimSecurityGroup = {
      groupId: newResourceId('sg'),
      groupName: 'default',
      description: 'default VPC security group',
      vpcId: 'vpc-0000000000000sim0',
      ingress: [],
    };
    this.securityGroups.set(group.groupId, group);
  }
}
