import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { generateSshKeyPair, makeTempDir, type TempDir } from '@elastiq/testing';
import { opensshFingerprint, parseSshPublicKey } from '../src';
import { ec2ImportedKeyFingerprints } from '../src/public-key';

const execFileAsync = promisify(execFile);

let temp: TempDir;
beforeAll(async () => {
  temp = await makeTempDir('cloud-public-key');
});
afterAll(async () => {
  await temp?.cleanup();
});

describe('parseSshPublicKey', () => {
  it.each(['ed25519', 'rsa'] as const)('reads a %s .pub line, ignoring the comment', async (type) => {
    const pair = await generateSshKeyPair(temp.path, type);
    const [keyType, base64] = pair.publicKey.split(' ');

    expect(parseSshPublicKey(`${pair.publicKey}\n`)).toEqual({ type: keyType, base64 });
    expect(parseSshPublicKey(`${keyType} ${base64} other-comment`)).toEqual({ type: keyType, base64 });
  });

  it('refuses a private key, garbage, and a blob whose inner type disagrees', async () => {
    const pair = await generateSshKeyPair(temp.path, 'ed25519');
    const base64 = pair.publicKey.split(' ')[1];

    expect(parseSshPublicKey('-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEA\n')).toBeNull();
    expect(parseSshPublicKey('hello')).toBeNull();
    expect(parseSshPublicKey(`ssh-rsa ${base64}`)).toBeNull();
  });
});

describe('fingerprints', () => {
  it('matches ssh-keygen -l for the OpenSSH fingerprint', async () => {
    const pair = await generateSshKeyPair(temp.path, 'ed25519');
    const { stdout } = await execFileAsync('ssh-keygen', ['-l', '-E', 'sha256', '-f', pair.publicKeyPath]);

    expect(opensshFingerprint(parseSshPublicKey(pair.publicKey)!)).toBe(stdout.split(' ')[1]);
  });

  it("computes EC2's imported RSA fingerprint (MD5 of the DER public key) as AWS documents it", async () => {
    const pair = await generateSshKeyPair(temp.path, 'rsa');
    // AWS's documented recipe: ssh-keygen -e -m PKCS8 | openssl pkey -pubin -outform DER | openssl md5 -c
    const { stdout: pem } = await execFileAsync('ssh-keygen', ['-e', '-m', 'PKCS8', '-f', pair.publicKeyPath]);
    const der = await new Promise<Buffer>((resolve, reject) => {
      const child = execFile('openssl', ['pkey', '-pubin', '-outform', 'DER'], { encoding: 'buffer' }, (error, stdout) =>
        error ? reject(error) : resolve(stdout as unknown as Buffer),
      );
      child.stdin?.end(pem);
    });
    const { createHash } = await import('node:crypto');
    const expected = createHash('md5').update(der).digest('hex').match(/../g)!.join(':');

    expect(ec2ImportedKeyFingerprints(parseSshPublicKey(pair.publicKey)!)).toEqual([expected]);
  });
});
