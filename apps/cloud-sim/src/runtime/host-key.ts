import { createHash, randomUUID } from 'node:crypto';
import { link, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { utils } from 'ssh2';

export interface HostKey {
  privateKeyPath: string;
  /** OpenSSH private key text, for the light mode's in-process server. */
  privateKey: string;
  type: string;
  fingerprint: string;
  /** "ssh-ed25519 AAAA..." */
  publicKey: string;
}

const HOST_KEY_FILE = 'ssh_host_ed25519_key';

/**
 * Loads the instance's host key from its state dir, generating it on first boot: a real
 * instance keeps its host key across stop/start, which is what trust-on-first-use relies on.
 */
export async function ensureHostKey(stateDir: string, instanceId: string): Promise<HostKey> {
  const privateKeyPath = join(stateDir, HOST_KEY_FILE);
  const existing = await readIfPresent(privateKeyPath);
  const privateKey = existing ?? (await generateHostKey(privateKeyPath, instanceId));
  const parsed = utils.parseKey(privateKey);
  if (parsed instanceof Error) throw new Error(`host key ${privateKeyPath} is unreadable: ${parsed.message}`);
  const blob = parsed.getPublicSSH();
  return {
    privateKeyPath,
    privateKey,
    type: parsed.type,
    fingerprint: fingerprintOf(blob),
    publicKey: `${parsed.type} ${blob.toString('base64')}`,
  };
}

/** Forgets the host key so the next ensureHostKey() generates a new one (the "host key changed" fault). */
export async function discardHostKey(stateDir: string): Promise<void> {
  await rm(join(stateDir, HOST_KEY_FILE), { force: true });
  await rm(join(stateDir, `${HOST_KEY_FILE}.pub`), { force: true });
}

/** "SHA256:<unpadded base64>" — the form `ssh-keygen -l` and OpenSSH's known-host prompts print. */
export function fingerprintOf(publicKeyBlob: Buffer): string {
  return `SHA256:${createHash('sha256').update(publicKeyBlob).digest('base64').replace(/=+$/, '')}`;
}

async function generateHostKey(privateKeyPath: string, instanceId: string): Promise<string> {
  const privateKey = wellFormedEd25519Key(instanceId);
  // Written aside, then linked into place: link fails if the key exists, so two boots of one
  // instance racing keep the first key, and nobody reads a half-written one.
  const draft = `${privateKeyPath}.${process.pid}.${randomUUID()}`;
  await writeFile(draft, privateKey, { mode: 0o600 });
  try {
    await link(draft, privateKeyPath);
    return privateKey;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return readFile(privateKeyPath, 'utf8');
    throw error;
  } finally {
    await rm(draft, { force: true });
  }
}

const DRAWS = 16;
const PROBE_MESSAGE = Buffer.from('cloud-sim host key check');

/**
 * A new ed25519 host key in OpenSSH format, generated in-process. Spawning ssh-keygen per
 * instance was most of cloud-sim's CPU at 10,000 instances (65% of its time in spawn: forking a
 * process of several hundred MB), which made boots late and the API slow. ssh2 1.17's generator
 * drops leading zero bytes of ed25519 keys (about 1 key in 256 comes out malformed), so every
 * draw is parsed back and must sign what its public key verifies; a bad draw is thrown away.
 */
export function wellFormedEd25519Key(comment: string): string {
  for (let draw = 0; draw < DRAWS; draw++) {
    const pair = utils.generateKeyPairSync('ed25519', { comment });
    const privateKey = utils.parseKey(pair.private);
    const publicKey = utils.parseKey(pair.public);
    if (privateKey instanceof Error || publicKey instanceof Error) continue;
    const signature = privateKey.sign(PROBE_MESSAGE);
    if (signature instanceof Error || publicKey.verify(PROBE_MESSAGE, signature) !== true) continue;
    if (!privateKey.getPublicSSH().equals(publicKey.getPublicSSH())) continue;
    return pair.private;
  }
  throw new Error(`could not generate a well-formed ed25519 host key in ${DRAWS} draws`);
}

async function readIfPresent(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}
