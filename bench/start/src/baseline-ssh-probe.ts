import { Client } from 'ssh2';

// ElastiCluster's Node.connect (elasticluster-notes §4.3): one SSH login per address, as the image
// user with the cluster key, any host key accepted and remembered (paramiko's AutoAddPolicy),
// errors swallowed. TCP_NODELAY is set although paramiko does not, so the baseline is not
// slowed by Nagle on loopback: it gets every benefit of the doubt.

export function sshLoginSucceeds(target: { host: string; port: number; username: string; privateKey: Buffer; timeoutMs: number }): Promise<boolean> {
  return new Promise((resolve) => {
    const client = new Client();
    let settled = false;
    const settle = (ok: boolean) => {
      if (settled) return;
      settled = true;
      client.end();
      resolve(ok);
    };
    client.once('ready', () => settle(true));
    client.once('error', () => settle(false));
    client.once('close', () => settle(false));
    client.connect({
      host: target.host,
      port: target.port,
      username: target.username,
      privateKey: target.privateKey,
      readyTimeout: target.timeoutMs,
      hostVerifier: () => true,
    });
    client.setNoDelay(true);
  });
}
