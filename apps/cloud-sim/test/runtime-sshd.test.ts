import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { generateSshKeyPair, makeTempDir, type SshKeyPair, type TempDir } from '@elastiq/testing';
import pino from 'pino';
import { Client } from 'ssh2';
import { createRuntime, type InstanceRuntime, type SshEndpoint, type SshEndpointSpec } from '../src/runtime';
import type { SshdRuntime } from '../src/runtime/sshd-runtime';

// A dedicated image user: its shell is /bin/sh (root's profile is slow), and as root the
// runtime creates it when missing.
const IMAGE_USER = 'elastiq-sim';

let root: TempDir;
let key: SshKeyPair;
let otherKey: SshKeyPair;
let runtime: InstanceRuntime;

beforeAll(async () => {
  root = await makeTempDir('runtime-sshd');
  key = await generateSshKeyPair(root.path);
  otherKey = await generateSshKeyPair(root.path);
  runtime = createRuntime({ mode: 'sshd', rootDir: root.path, logger: pino({ level: 'silent' }) });
});

afterAll(async () => {
  await runtime.shutdown();
  await root.cleanup();
});

function specFor(instanceId: string, address: string, overrides: Partial<SshEndpointSpec> = {}): SshEndpointSpec {
  return {
    instanceId,
    address,
    port: process.getuid?.() === 0 ? 22 : 0,
    username: IMAGE_USER,
    authorizedKeys: key.publicKey,
    stateDir: join(root.path, 'state', instanceId),
    homeDir: join(root.path, 'home', instanceId),
    ...overrides,
  };
}

interface ExecResult {
  code: number | null;
  stdout: string;
  hostKey: Buffer;
}

async function sshExec(endpoint: SshEndpoint, command: string, privateKeyPath = key.privateKeyPath): Promise<ExecResult> {
  const privateKey = await readFile(privateKeyPath);
  return new Promise((resolve, reject) => {
    const client = new Client();
    let hostKey = Buffer.alloc(0);
    client
      .on('ready', () => {
        client.exec(command, (error, stream) => {
          if (error) return reject(error);
          let stdout = '';
          stream.on('data', (chunk: Buffer) => {
            stdout += chunk.toString('utf8');
          });
          stream.stderr.resume();
          stream.on('close', (code: number | null) => {
            client.end();
            resolve({ code, stdout, hostKey });
          });
        });
      })
      .on('error', reject)
      .connect({
        host: endpoint.address,
        port: endpoint.port,
        username: IMAGE_USER,
        privateKey,
        noDelay: true,
        readyTimeout: 10_000,
        hostVerifier: (key: Buffer) => {
          hostKey = key;
          return true;
        },
      });
  });
}

describe('sshd runtime', () => {
  it('starts a real sshd on the instance address that runs commands as the image user with the imported key', async () => {
    const endpoint = await runtime.start(specFor('i-exec', '127.0.10.1'));
    const result = await sshExec(endpoint, 'id -un; echo "$ELASTIQ_INSTANCE_ID"');
    expect(result).toMatchObject({ code: 0, stdout: `${IMAGE_USER}\ni-exec\n` });
    expect(endpoint.hostKeyType).toBe('ssh-ed25519');
    expect(endpoint.hostKeyFingerprint).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);
  });
});
