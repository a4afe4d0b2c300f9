import { createHash } from 'node:crypto';
import type { HostKey } from './contracts';

/** "SHA256:" + unpadded base64 of the SHA-256 of the key blob: what `ssh-keygen -l` and `ssh` print. */
export function fingerprintOf(hostKeyBlob: Buffer): string {
  const digest = createHash('sha256').update(hostKeyBlob).digest('base64');
  return `SHA256:${digest.replace(/=+$/, '')}`;
}

/**
 * The algorithm name is the first field of the SSH wire encoding of every public key
 * (uint32 length + ASCII name), so the blob alone says what known_hosts must call it.
 */
export function keyTypeOf(hostKeyBlob: Buffer): string {
  if (hostKeyBlob.length < 4) throw new Error('host key blob is too short to hold a key type');
  const length = hostKeyBlob.readUInt32BE(0);
  if (length === 0 || length > 64 || 4 + length > hostKeyBlob.length) {
    throw new Error('host key blob does not start with a valid key type');
  }
  const type = hostKeyBlob.subarray(4, 4 + length).toString('ascii');
  if (!/^[A-Za-z0-9@._-]+$/.test(type)) throw new Error('host key blob does not start with a valid key type');
  return type;
}

export function hostKeyFromBlob(hostKeyBlob: Buffer): HostKey {
  return {
    type: keyTypeOf(hostKeyBlob),
    base64: hostKeyBlob.toString('base64'),
    fingerprint: fingerprintOf(hostKeyBlob),
  };
}

/** Two host keys are the same key when their blobs are; fingerprints alone could be stale copies. */
export function sameHostKey(a: HostKey, b: HostKey): boolean {
  return a.type === b.type && a.base64 === b.base64;
}
