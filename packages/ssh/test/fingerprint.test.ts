import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { generateSshKeyPair, makeTempDir, type TempDir } from '@elastiq/testing';
import { fingerprintOf, hostKeyFromBlob } from '../src';

const execFileAsync = promisify(execFile);

let temp: TempDir;
beforeAll(async () => {
  temp = await makeTempDir('ssh-fingerprint');
});
afterAll(async () => {
  await temp?.cleanup();
});

describe('fingerprintOf', () => {
  it.each(['ed25519', 'rsa'] as const)('prints a %s key exactly as ssh-keygen -l does', async (type) => {
    const pair = await generateSshKeyPair(temp.path, type);
    const { stdout } = await execFileAsync('ssh-keygen', ['-l', '-E', 'sha256', '-f', pair.publicKeyPath]);
    const expected = stdout.split(' ')[1];
    const blob = Buffer.from(pair.publicKey.split(' ')[1], 'base64');

    expect(fingerprintOf(blob)).toBe(expected);
    expect(hostKeyFromBlob(blob)).toEqual({ type: pair.publicKey.split(' ')[0], base64: pair.publicKey.split(' ')[1], fingerprint: expected });
  });

  it('refuses a blob that does not start with a key type', () => {
    expect(() => hostKeyFromBlob(Buffer.from([0, 0, 0, 200, 1, 2]))).toThrow(/key type/);
  });
});
