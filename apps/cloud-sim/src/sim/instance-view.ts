import type { SimInstance } from './sim-state';

/** What GET /_sim/instances shows per instance: everything a test needs to check for leaked or
 *  duplicated instances and for boot timing. User data itself is never shown. */
export interface InstanceView {
  instanceId: string;
  reservationId: string;
  state: SimInstance['state'];
  imageId: string;
  instanceType: string;
  availabilityZone: string;
  /** `spot` for a spot launch (InstanceMarketOptions), else `on-demand`. */
  market: 'spot' | 'on-demand';
  /** Why it stopped or ended, as EC2's StateTransitionReason says (empty while it runs). */
  stateTransitionReason: string;
  launchIndex: number;
  keyName: string | null;
  clientToken: string | null;
  tags: Record<string, string>;
  privateIpAddress: string;
  publicIpAddress: string | null;
  /** Where the instance's SSH server answers, once it does. */
  ssh: { address: string; port: number; hostKeyFingerprint: string; hostKeyType: string; hostPublicKey: string } | null;
  launchedAt: string;
  runningAt: string | null;
  sshReadyAt: string | null;
  stoppedAt: string | null;
  terminatedAt: string | null;
  diedAt: string | null;
  faults: SimInstance['faults'];
  userDataExitCode: number | null;
  sshFailure: string | null;
  accessKeyId: string | null;
}

const iso = (ms: number | undefined) => (ms === undefined ? null : new Date(ms).toISOString());

export function instanceView(instance: SimInstance): InstanceView {
  return {
    instanceId: instance.instanceId,
    reservationId: instance.reservationId,
    state: instance.state,
    imageId: instance.imageId,
    instanceType: instance.instanceType,
    availabilityZone: instance.availabilityZone,
    market: instance.spot ? 'spot' : 'on-demand',
    stateTransitionReason: instance.stateTransitionReason,
    launchIndex: instance.launchIndex,
    keyName: instance.keyName ?? null,
    clientToken: instance.clientToken ?? null,
    tags: Object.fromEntries(instance.tags),
    privateIpAddress: instance.address,
    publicIpAddress: instance.state === 'running' ? instance.address : null,
    ssh: instance.endpoint ? { ...instance.endpoint } : null,
    launchedAt: iso(instance.times.launchedAt)!,
    runningAt: iso(instance.times.runningAt),
    sshReadyAt: iso(instance.times.sshReadyAt),
    stoppedAt: iso(instance.times.stoppedAt),
    terminatedAt: iso(instance.times.terminatedAt),
    diedAt: iso(instance.times.diedAt),
    faults: { ...instance.faults },
    userDataExitCode: instance.userDataResult?.exitCode ?? null,
    sshFailure: instance.sshFailure ?? null,
    accessKeyId: instance.accessKeyId ?? null,
  };
}
