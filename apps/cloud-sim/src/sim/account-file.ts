import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { SimInstance, SimState } from './sim-state';

// With --keep-state, the simulated account outlives the cloud-sim process: everything an EC2
// caller could observe (instances, reservations, key pairs, security groups, remembered
// ClientTokens) is written to <root-dir>/account.json before a mutating call is answered, so a
// cloud-sim killed at any moment comes back knowing every instance it ever told anyone about.
// Timers and SSH servers are not state: InstanceLifecycle.resume() rebuilds them.

export const ACCOUNT_FILE = 'account.json';
const FORMAT_VERSION = 1;

const stateName = z.enum(['pending', 'running', 'stopping', 'stopped', 'shutting-down', 'terminated']);
const groupRef = z.object({ groupId: z.string(), groupName: z.string() });
const optionalMs = z.number().optional();

const instanceSchema = z.object({
  instanceId: z.string().regex(/^i-[0-9a-f]+$/),
  sequence: z.number().int().positive(),
  reservationId: z.string(),
  imageId: z.string(),
  instanceType: z.string(),
  keyName: z.string().optional(),
  availabilityZone: z.string(),
  subnetId: z.string(),
  securityGroups: z.array(groupRef),
  launchIndex: z.number().int().min(0),
  clientToken: z.string().optional(),
  userData: z.string().optional(),
  tags: z.array(z.tuple([z.string(), z.string()])),
  state: stateName,
  stateTransitionReason: z.string(),
  spot: z.object({ requestId: z.string(), maxPrice: z.number() }).optional(),
  address: z.string().regex(/^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/),
  launchTime: z.string().datetime(),
  bootCount: z.number().int().min(0),
  faults: z.object({
    neverSshReady: z.boolean(),
    noBanner: z.boolean(),
    dieAfterMs: optionalMs,
    dieTerminates: z.boolean().optional(),
  }),
  authorizedKeys: z.string().optional(),
  times: z.object({
    launchedAt: z.number(),
    runningAt: optionalMs,
    sshReadyAt: optionalMs,
    stoppedAt: optionalMs,
    terminatedAt: optionalMs,
    diedAt: optionalMs,
  }),
  /** The SSH port it answered on, kept so a restored instance answers on the same one. */
  sshPort: z.number().int().min(1).max(65535).optional(),
  userDataResult: z.object({ exitCode: z.number().nullable() }).optional(),
  accessKeyId: z.string().optional(),
});

const accountSchema = z.object({
  version: z.literal(FORMAT_VERSION),
  addressBlock: z.number().int().min(1).max(254),
  nextSequence: z.number().int().positive(),
  instances: z.array(instanceSchema),
  reservations: z.array(z.object({ reservationId: z.string(), instanceIds: z.array(z.string()), groups: z.array(groupRef) })),
  keyPairs: z.array(
    z.object({
      keyPairId: z.string(),
      keyName: z.string(),
      keyFingerprint: z.string(),
      keyType: z.string(),
      publicKey: z.string(),
      createdAt: z.string().datetime(),
    }),
  ),
  securityGroups: z.array(
    z.object({
      groupId: z.string(),
      groupName: z.string(),
      description: z.string(),
      vpcId: z.string(),
      ingress: z.array(
        z.object({
          ipProtocol: z.string(),
          fromPort: z.number().int().optional(),
          toPort: z.number().int().optional(),
          cidrIps: z.array(z.string()),
          sourceGroupIds: z.array(z.string()),
        }),
      ),
    }),
  ),
  clientTokens: z.array(z.tuple([z.string(), z.object({ parametersFingerprint: z.string(), reservationId: z.string() })])),
});

export type SavedAccount = z.infer<typeof accountSchema>;
export type SavedInstance = z.infer<typeof instanceSchema>;

export function accountFilePath(rootDir: string): string {
  return join(rootDir, ACCOUNT_FILE);
}

export function saveAccount(path: string, state: SimState, addressBlock: number): void {
  const account: SavedAccount = {
    version: FORMAT_VERSION,
    addressBlock,
    nextSequence: state.peekSequence(),
    instances: [...state.instances.values()].map(savedInstance),
    reservations: [...state.reservations.values()],
    keyPairs: [...state.keyPairs.values()].map((keyPair) => ({ ...keyPair, createdAt: keyPair.createdAt.toISOString() })),
    securityGroups: [...state.securityGroups.values()],
    clientTokens: [...state.clientTokens.entries()],
  };
  // Written beside, then renamed over: a reader (or a restart after SIGKILL) sees the old file
  // or the new one, never half of one.
  const partial = `${path}.partial`;
  writeFileSync(partial, JSON.stringify(account), { mode: 0o600 });
  renameSync(partial, path);
}

/** The saved account, or undefined when there is none yet. A damaged file is an error naming it. */
export function loadAccount(path: string): SavedAccount | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new Error(`cannot read the kept account ${path}: ${(error as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new Error(`the kept account ${path} is not JSON (${(error as Error).message}); remove it to start with an empty account`);
  }
  const parsed = accountSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(
      `the kept account ${path} is damaged at ${issue.path.join('.') || '(top)'}: ${issue.message}; remove it to start with an empty account`,
    );
  }
  return parsed.data;
}

/** Puts a saved account into an empty SimState; each instance comes with the SSH port it
 *  answered on before, if it did. */
export function restoreAccount(account: SavedAccount, state: SimState): Array<{ instance: SimInstance; sshPort?: number }> {
  // A new SimState holds only its default group; the saved account has its own.
  state.securityGroups.clear();
  for (const group of account.securityGroups) state.securityGroups.set(group.groupId, group);
  for (const keyPair of account.keyPairs) state.keyPairs.set(keyPair.keyName, { ...keyPair, createdAt: new Date(keyPair.createdAt) });
  for (const reservation of account.reservations) state.reservations.set(reservation.reservationId, reservation);
  for (const [token, record] of account.clientTokens) state.clientTokens.set(token, record);
  const restored = account.instances.map(restoredInstance);
  for (const { instance } of restored) state.instances.set(instance.instanceId, instance);
  state.resumeSequenceAt(account.nextSequence);
  return restored;
}

function savedInstance(instance: SimInstance): SavedInstance {
  const { tags, launchTime, endpoint, sshFailure: _transient, ...rest } = instance;
  return { ...rest, tags: [...tags.entries()], launchTime: launchTime.toISOString(), sshPort: endpoint?.port };
}

function restoredInstance(saved: SavedInstance): { instance: SimInstance; sshPort?: number } {
  const { tags, launchTime, sshPort, ...rest } = saved;
  // The SSH server is gone with the old process; resume() starts a new one and sets `endpoint`.
  return { instance: { ...rest, tags: new Map(tags), launchTime: new Date(launchTime) }, sshPort };
}
