import { readFile } from 'node:fs/promises';
import { DescribeKeyPairsCommand, type EC2Client, ImportKeyPairCommand } from '@aws-sdk/client-ec2';
import { CloudError, ConfigurationError } from '@elastiq/core';
import type { CloudLogger } from './ec2-provider-options';
import { errorFromAws } from './error-from-aws';
import {
  ec2ImportedKeyFingerprints,
  opensshFingerprint,
  parseSshPublicKey,
  type SshPublicKey,
  sameKeyMaterial,
} from './public-key';

interface RegisteredKeyPair {
  publicKey: string | undefined;
  fingerprint: string | undefined;
}

async function readPublicKey(path: string): Promise<SshPublicKey> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new ConfigurationError(`cannot read the public key ${path} (${code})`, { key: 'user_key_public' });
  }
  const key = parseSshPublicKey(text);
  // The content is not quoted: a private key put here by mistake must not end up in a log.
  if (!key) {
    throw new ConfigurationError(`${path} is not an OpenSSH public key ("ssh-ed25519 AAAA..." or "ssh-rsa AAAA...")`, {
      key: 'user_key_public',
      hint: 'point user_key_public at the .pub file of user_key_private',
    });
  }
  return key;
}

async function describeKeyPair(client: EC2Client, name: string): Promise<RegisteredKeyPair | null> {
  try {
    const answer = await client.send(new DescribeKeyPairsCommand({ KeyNames: [name], IncludePublicKey: true }));
    const pair = answer.KeyPairs?.find((candidate) => candidate.KeyName === name);
    return pair ? { publicKey: pair.PublicKey, fingerprint: pair.KeyFingerprint } : null;
  } catch (error) {
    const cloudError = errorFromAws(error, 'DescribeKeyPairs');
    if (cloudError.code === 'InvalidKeyPair.NotFound') return null;
    throw cloudError;
  }
}

/**
 * Compares key *material* (ElastiCluster compared its own fingerprint with AWS's MD5 one and
 * failed, or on AWS only logged the difference: defect 14). The AWS fingerprint is a fallback for
 * clouds that do not return the public key.
 */
function matches(registered: RegisteredKeyPair, local: SshPublicKey): boolean | 'unknown' {
  if (registered.publicKey) {
    const remote = parseSshPublicKey(registered.publicKey);
    if (remote) return sameKeyMaterial(remote, local);
  }
  if (registered.fingerprint) return ec2ImportedKeyFingerprints(local).includes(registered.fingerprint);
  return 'unknown';
}

/** Imports `publicKeyPath` as key pair `name` when missing; refuses a different key under that name. */
export async function ensureKeyPair(client: EC2Client, log: CloudLogger, name: string, publicKeyPath: string): Promise<void> {
  const local = await readPublicKey(publicKeyPath);
  let registered = await describeKeyPair(client, name);
  if (!registered) {
    try {
      await client.send(new ImportKeyPairCommand({ KeyName: name, PublicKeyMaterial: Buffer.from(`${local.type} ${local.base64}\n`) }));
      log.debug({ keyName: name, fingerprint: opensshFingerprint(local) }, 'imported key pair');
      return;
    } catch (error) {
      const cloudError = errorFromAws(error, 'ImportKeyPair');
      if (cloudError.code !== 'InvalidKeyPair.Duplicate') throw cloudError;
    }
    // Another worker imported it between our describe and import: check what it imported.
    registered = await describeKeyPair(client, name);
    if (!registered) {
      throw new CloudError('InvalidKeyPair.NotFound', `key pair \`${name}\` was reported both existing and missing`, { retryable: true });
    }
  }
  const same = matches(registered, local);
  if (same === true) return;
  const remote = registered.publicKey ? parseSshPublicKey(registered.publicKey) : null;
  const remoteDescription = remote ? `${remote.type} ${opensshFingerprint(remote)}` : `fingerprint ${registered.fingerprint ?? 'unknown'}`;
  throw new CloudError(
    'KeyPairMismatch',
    same === 'unknown'
      ? `key pair \`${name}\` exists but the cloud returns neither its public key nor its fingerprint, so it cannot be compared with ${publicKeyPath}`
      : `key pair \`${name}\` already holds a different key (${remoteDescription}) than user_key_public ${publicKeyPath} (${local.type} ${opensshFingerprint(local)})`,
    {
      retryable: false,
      hint: `set user_key_name to a name not used yet, or delete the stale key pair \`${name}\` from the cloud`,
    },
  );
}
