import { createHash } from 'node:crypto';
import { Client } from 'ssh2';

export interface SshTarget {
  address: string;
  port: number;
}

/** Runs one command over SSH with ssh2 (as elastiq's probe does); resolves with its output and
 *  the SHA256 fingerprint of the host key the server presented. */
export function sshRun(
  target: SshTarget,
  username: string,
  privateKey: string,
  command: string,
): Promise<{ code: number | null; stdout: string; hostKeyFingerprint: string }> {
  return new Promise((resolve, reject) => {
    const client = new Client();
    let hostKeyFingerprint = '';
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
            resolve({ code, stdout, hostKeyFingerprint });
          });
        });
      })
      .on('error', reject)
      .connect({
        host: target.address,
        port: target.port,
        username,
        privateKey,
        readyTimeout: 5_000,
        hostVerifier: (key: Buffer) => {
          hostKeyFingerprint = `SHA256:${createHash('sha256').update(key).digest('base64').replace(/=+$/, '')}`;
          return true;
        },
      });
    // Without TCP_NODELAY each round trip costs ~85 ms on loopback (toolchain-notes.md).
    client.setNoDelay(true);
  });
}
