import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CloudError, ConfigurationError } from '@elastiq/core';
import { generateSshKeyPair, makeTempDir, type TempDir } from '@elastiq/testing';
import { callsOf, type SimAndProvider, startSimWithProvider } from './support';

let env: SimAndProvider;
let temp: TempDir;

beforeAll(async () => {
  env = await startSimWithProvider();
  temp = await makeTempDir('cloud-key-pair');
});

afterAll(async () => {
  await env?.stop();
  await temp?.cleanup();
});

describe('Ec2CloudProvider.ensureKeyPair', () => {
  it.each(['ed25519', 'rsa'] as const)('imports a missing %s key, then finds it in place without importing again', async (type) => {
    const key = await generateSshKeyPair(temp.path, type);
    const before = callsOf(env.sim, 'ImportKeyPair');

    await env.provider.ensureKeyPair(`cluster-${type}`, key.publicKeyPath);
    await env.provider.ensureKeyPair(`cluster-${type}`, key.publicKeyPath);

    expect(callsOf(env.sim, 'ImportKeyPair') - before).toBe(1);
  });

  it('accepts the same key with another comment (key material is compared, not text)', async () => {
    const key = await generateSshKeyPair(temp.path, 'ed25519');
    await env.provider.ensureKeyPair('commented', key.publicKeyPath);
    const recommented = join(temp.path, 'recommented.pub');
    const [type, base64] = key.publicKey.split(' ');
    await (await import('node:fs/promises')).writeFile(recommented, `${type} ${base64} someone@laptop\n`);

    await expect(env.provider.ensureKeyPair('commented', recommented)).resolves.toBeUndefined();
  });

  it('refuses a different key already registered under the name, with both fingerprints and the fix', async () => {
    const registered = await generateSshKeyPair(temp.path, 'ed25519');
    const other = await generateSshKeyPair(temp.path, 'ed25519');
    await env.provider.ensureKeyPair('taken', registered.publicKeyPath);

    const attempt = env.provider.ensureKeyPair('taken', other.publicKeyPath);

    await expect(attempt).rejects.toBeInstanceOf(CloudError);
    const error = (await attempt.catch((caught) => caught)) as CloudError;
    expect(error).toMatchObject({ code: 'KeyPairMismatch', retryable: false });
    expect(error.message).toContain(other.publicKeyPath);
    expect(error.message).toMatch(/SHA256:\S+.*SHA256:\S+/);
    expect(error.hint).toContain('user_key_name');
    expect(error.message).not.toContain(other.publicKey.split(' ')[1]);
  });

  it('imports concurrently from many workers without failing (duplicate import is resolved by comparing)', async () => {
    const key = await generateSshKeyPair(temp.path, 'ed25519');

    await expect(
      Promise.all(Array.from({ length: 5 }, () => env.provider.ensureKeyPair('raced', key.publicKeyPath))),
    ).resolves.toHaveLength(5);
  });

  it('names user_key_public when the file is missing', async () => {
    const attempt = env.provider.ensureKeyPair('missing', join(temp.path, 'nope.pub'));

    await expect(attempt).rejects.toBeInstanceOf(ConfigurationError);
    await expect(attempt).rejects.toThrow(/user_key_public.*nope\.pub.*ENOENT/);
  });

  it('refuses a private key given as the public key without quoting it', async () => {
    const key = await generateSshKeyPair(temp.path, 'ed25519');
    const privateText = await readFile(key.privateKeyPath, 'utf8');

    const error = await env.provider.ensureKeyPair('private', key.privateKeyPath).catch((caught: Error) => caught);

    expect(error).toBeInstanceOf(ConfigurationError);
    expect((error as ConfigurationError).toUserLine()).toContain('user_key_public');
    expect((error as ConfigurationError).toUserLine()).not.toContain(privateText.split('\n')[1]);
  });
});
