import { createHash, createPublicKey } from 'node:crypto';

/** An OpenSSH public key reduced to what identifies it: its type and its wire-format blob. */
export interface SshPublicKey {
  type: string;
  /** base64 of the wire-format blob, exactly as in the .pub file. */
  base64: string;
}

const PUBLIC_KEY_LINE = /^(ssh-ed25519|ssh-rsa|ecdsa-sha2-nistp(?:256|384|521)|ssh-dss|sk-[a-z0-9@.-]+)\s+([A-Za-z0-9+/]+={0,2})(?:\s.*)?$/;

/**
 * Parses one OpenSSH public key line ("ssh-ed25519 AAAA... comment"). Returns null for anything
 * else, so the caller can name the file and the config key in its own error.
 */
export function parseSshPublicKey(text: string): SshPublicKey | null {
  const line = text
    .split('\n')
    .map((candidate) => candidate.trim())
    .find((candidate) => candidate !== '' && !candidate.startsWith('#'));
  const match = line === undefined ? null : PUBLIC_KEY_LINE.exec(line);
  if (!match) return null;
  const [, type, base64] = match;
  const blob = Buffer.from(base64, 'base64');
  // The blob repeats the type: a mismatch means a truncated or hand-edited key.
  const nameLength = blob.length >= 4 ? blob.readUInt32BE(0) : 0;
  if (blob.subarray(4, 4 + nameLength).toString('ascii') !== type) return null;
  return { type, base64 };
}

export function sameKeyMaterial(a: SshPublicKey, b: SshPublicKey): boolean {
  return a.type === b.type && a.base64 === b.base64;
}

/** OpenSSH's own fingerprint, for messages a user can compare with `ssh-keygen -l`. */
export function opensshFingerprint(key: SshPublicKey): string {
  return `SHA256:${createHash('sha256').update(Buffer.from(key.base64, 'base64')).digest('base64').replace(/=+$/, '')}`;
}

function readSshStrings(blob: Buffer): Buffer[] {
  const fields: Buffer[] = [];
  for (let offset = 0; offset + 4 <= blob.length; ) {
    const length = blob.readUInt32BE(offset);
    fields.push(blob.subarray(offset + 4, offset + 4 + length));
    offset += 4 + length;
  }
  return fields;
}

/**
 * The fingerprints EC2 reports in KeyFingerprint for an *imported* key: MD5 of the DER
 * SubjectPublicKeyInfo for RSA, SHA-256 (base64) for ed25519. Only needed when DescribeKeyPairs
 * does not return the public key itself; comparing key material is preferred (defect 14).
 */
export function ec2ImportedKeyFingerprints(key: SshPublicKey): string[] {
  const blob = Buffer.from(key.base64, 'base64');
  if (key.type === 'ssh-rsa') {
    const [, exponent, modulus] = readSshStrings(blob);
    const jwk = { kty: 'RSA', e: stripSign(exponent).toString('base64url'), n: stripSign(modulus).toString('base64url') };
    const der = createPublicKey({ key: jwk, format: 'jwk' }).export({ type: 'spki', format: 'der' });
    const md5 = createHash('md5').update(der).digest('hex');
    return [md5.match(/../g)?.join(':') ?? md5];
  }
  if (key.type === 'ssh-ed25519') {
    const sha = createHash('sha256').update(blob).digest('base64');
    return [sha, sha.replace(/=+$/, ''), `SHA256:${sha.replace(/=+$/, '')}`];
  }
  return [];
}

/** SSH mpints carry a leading zero byte when the high bit is set; JWK wants the bare magnitude. */
function stripSign(mpint: Buffer): Buffer {
  let start = 0;
  while (start < mpint.length - 1 && mpint[start] === 0) start += 1;
  return mpint.subarray(start);
}
