import { createHash } from 'node:crypto';
import { utils } from 'ssh2';
import { z } from 'zod';
import { Ec2Error } from '../api/ec2-error';
import { booleanParam, filterList, listOf } from '../api/param-schemas';
import { parseActionParams } from '../api/query-params';
import { itemSet } from '../api/xml-response';
import { newResourceId, type SimKeyPair } from '../sim/sim-state';
import type { ActionContext } from './action-context';
import { compileFilters, type FilterField } from './resource-filters';

// Imported key pairs: the public key becomes the authorized key of the image's login user on
// every instance launched with that KeyName. Only public keys ever reach cloud-sim.

const importKeyPairParams = z.object({
  KeyName: z.string().min(1).max(255),
  PublicKeyMaterial: z.string().min(1),
});

const describeKeyPairsParams = z.object({
  KeyName: listOf(z.string()).optional(),
  KeyPairId: listOf(z.string()).optional(),
  Filter: filterList.optional(),
  IncludePublicKey: booleanParam.optional(),
});

const deleteKeyPairParams = z.object({ KeyName: z.string().optional(), KeyPairId: z.string().optional() });

/** MD5 of the SSH wire-format key, colon-separated: what ElastiCluster compares on non-AWS
 *  endpoints (AWS itself uses a different digest for imported keys, see docs/cloud-sim.md). */
function md5Fingerprint(sshWireKey: Buffer): string {
  return createHash('md5').update(sshWireKey).digest('hex').match(/../g)!.join(':');
}

function parsePublicKey(material: string): { publicKey: string; keyType: string; fingerprint: string } {
  // The SDK base64-encodes the material (a blob); boto 2 sends it base64-encoded as well.
  const decoded = Buffer.from(material, 'base64').toString('utf8').trim();
  const text = /^(ssh-|ecdsa-)/.test(decoded) ? decoded : material.trim();
  const parsed = utils.parseKey(text);
  const key = Array.isArray(parsed) ? parsed[0] : parsed;
  if (key instanceof Error || !key || key.isPrivateKey()) {
    throw new Ec2Error('InvalidKeyPair.Format', 'Key is not in valid OpenSSH public key format');
  }
  const keyType = key.type === 'ssh-ed25519' ? 'ed25519' : key.type === 'ssh-rsa' ? 'rsa' : key.type;
  return { publicKey: text.split('\n')[0], keyType, fingerprint: md5Fingerprint(key.getPublicSSH()) };
}

export function importKeyPair(context: ActionContext): object {
  const params = parseActionParams(importKeyPairParams, context.params);
  if (context.state.keyPairs.has(params.KeyName)) {
    throw new Ec2Error('InvalidKeyPair.Duplicate', `The keypair '${params.KeyName}' already exists.`);
  }
  const { publicKey, keyType, fingerprint } = parsePublicKey(params.PublicKeyMaterial);
  const keyPair: SimKeyPair = {
    keyPairId: newResourceId('key'),
    keyName: params.KeyName,
    keyFingerprint: fingerprint,
    keyType,
    publicKey,
    createdAt: new Date(),
  };
  context.state.keyPairs.set(keyPair.keyName, keyPair);
  return { keyName: keyPair.keyName, keyFingerprint: keyPair.keyFingerprint, keyPairId: keyPair.keyPairId };
}

function keyPairFilterField(name: string): FilterField<SimKeyPair> | undefined {
  const fields: Record<string, FilterField<SimKeyPair>> = {
    'key-name': (keyPair) => keyPair.keyName,
    'key-pair-id': (keyPair) => keyPair.keyPairId,
    fingerprint: (keyPair) => keyPair.keyFingerprint,
    'key-type': (keyPair) => keyPair.keyType,
  };
  return fields[name];
}

export function describeKeyPairs(context: ActionContext): object {
  const params = parseActionParams(describeKeyPairsParams, context.params);
  const all = [...context.state.keyPairs.values()];
  for (const name of params.KeyName ?? []) {
    if (!context.state.keyPairs.has(name)) throw new Ec2Error('InvalidKeyPair.NotFound', `The key pair '${name}' does not exist`);
  }
  for (const id of params.KeyPairId ?? []) {
    if (!all.some((keyPair) => keyPair.keyPairId === id)) {
      throw new Ec2Error('InvalidKeyPair.NotFound', `The key pair '${id}' does not exist`);
    }
  }
  const matches = compileFilters(params.Filter ?? [], keyPairFilterField);
  const selected = all.filter(
    (keyPair) =>
      (!params.KeyName || params.KeyName.includes(keyPair.keyName)) &&
      (!params.KeyPairId || params.KeyPairId.includes(keyPair.keyPairId)) &&
      matches(keyPair),
  );
  return {
    keySet: itemSet(
      selected.map((keyPair) => ({
        keyPairId: keyPair.keyPairId,
        keyName: keyPair.keyName,
        keyFingerprint: keyPair.keyFingerprint,
        keyType: keyPair.keyType,
        publicKey: params.IncludePublicKey ? keyPair.publicKey : undefined,
        createTime: keyPair.createdAt.toISOString(),
        tagSet: '',
      })),
    ),
  };
}

/** Deleting a key pair that does not exist succeeds, as on EC2. Running instances keep the key. */
export function deleteKeyPair(context: ActionContext): object {
  const params = parseActionParams(deleteKeyPairParams, context.params);
  if (params.KeyName === undefined && params.KeyPairId === undefined) {
    throw new Ec2Error('MissingParameter', 'The request must contain the parameter KeyName or KeyPairId');
  }
  for (const keyPair of [...context.state.keyPairs.values()]) {
    if (keyPair.keyName === params.KeyName || keyPair.keyPairId === params.KeyPairId) {
      context.state.keyPairs.delete(keyPair.keyName);
    }
  }
  return { return: true };
}
