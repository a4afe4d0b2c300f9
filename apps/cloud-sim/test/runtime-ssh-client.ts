// Test-side SSH client for the runtime specs: ssh2's client, as elastiq's SSH probe uses it.
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { Client } from 'ssh2';
import type { SshEndpoint } from '../src/runtime';

export interface ExecResult {
  code: number | null;
  stdout: string;
  stderr: string;
  /** The host key blob the server presented. */
  hostKey: Buffer;
}

export interface ExecOptions {
  username: string;
  privateKeyPath: string;
  stdin?: string;
}

export async function sshExec(endpoint: SshEndpoint, command: string, options: ExecOptions): Promise<ExecResult> {
  const privateKey = await readFile(options.privateKeyPath);
  return new Promise((resolve, reject) => {
    const client = new Client();
    let hostKey: Buffer = Buffer.alloc(0);
    client
      .on('ready', () => {
        client.exec(command, (error, stream) => {
          if (error) return reject(error);
          let stdout = '';
          let stderr = '';
          stream.on('data', (chunk: Buffer) => {
            stdout += chunk.toString('utf8');
          });
          stream.stderr.on('data', (chunk: Buffer) => {
            stderr += chunk.toString('utf8');
          });
          stream.on('close', (code: number | null) => {
            client.end();
            resolve({ code, stdout, stderr, hostKey });
          });
          stream.end(options.stdin ?? '');
        });
      })
      .on('error', reject)
      .connect({
        host: endpoint.address,
        port: endpoint.port,
        username: options.username,
        privateKey,
        readyTimeout: 10_000,
        hostVerifier: (key: Buffer) => {
          hostKey = key;
          return true;
        },
      })
      // Without TCP_NODELAY every round trip of the handshake waits ~40 ms for a delayed ACK.
      .setNoDelay(true);
  });
}

/** Opens a session running `sleep` on the instance; returns the sleeping process's pid. */
export async function startSleepingSession(
  endpoint: SshEndpoint,
  options: ExecOptions,
): Promise<{ pid: number; client: Client }> {
  const privateKey = await readFile(options.privateKeyPath);
  return new Promise((resolve, reject) => {
    const client = new Client();
    client
      .on('ready', () => {
        client.exec('echo $$; exec sleep 60', (error, stream) => {
          if (error) return reject(error);
          stream.once('data', (chunk: Buffer) => resolve({ pid: Number(chunk.toString().trim()), client }));
          stream.stderr.resume();
          stream.on('error', () => undefined);
        });
      })
      .on('error', () => undefined)
      .connect({ host: endpoint.address, port: endpoint.port, username: options.username, privateKey });
  });
}

/** Alive = exists and is not a zombie (killed sessions wait for pid 1 to reap them). */
export function isAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}
