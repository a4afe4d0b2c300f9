import { Client } from 'ssh2';
import type { HostKey, ProbeTarget } from './contracts';
import { hostKeyFromBlob, sameHostKey } from './fingerprint';
import { readPrivateKey } from './private-key';
import { describeTarget, parseProbeTarget } from './probe-target';
import { expandProxyCommand, openProxySocket, type ProxySocket } from './proxy-command';
import { SshConnectionError, type SshFailureKind } from './ssh-connection-error';

export interface PinnedConnection {
  client: Client;
  /** The key the server proved it holds during this handshake. */
  hostKey: HostKey;
  /** Ends the session and the proxy process, if any. */
  close(): void;
}

type SshError = Error & { level?: string; code?: string };

// Socket errors that mean "nothing answers there yet": a booting node, a dropped connection.
const NOT_YET_REACHABLE = new Set(['ECONNREFUSED', 'ECONNRESET', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE']);

function kindOf(error: SshError): SshFailureKind {
  if (error.level === 'client-timeout') return 'timeout';
  if (error.level === 'client-authentication') return 'auth';
  if (error.level === 'client-socket' && error.code !== undefined && NOT_YET_REACHABLE.has(error.code)) return 'refused';
  if (error.code === 'ETIMEDOUT') return 'timeout';
  // The peer hung up before sending its banner: sshd not fully up, MaxStartups shedding, a proxy
  // that could not connect. All are "try again later".
  if (error.message === 'Connection lost before handshake') return 'refused';
  return 'error';
}

function mismatchMessage(target: ProbeTarget, pinned: HostKey, presented: HostKey): string {
  return (
    `host key of ${describeTarget(target)} changed: pinned ${pinned.type} ${pinned.fingerprint}, ` +
    `presented ${presented.type} ${presented.fingerprint}; refusing to connect. If the node was really ` +
    're-created, remove its pinned host key from the cluster state; otherwise someone may be intercepting the connection'
  );
}

/**
 * Opens an authenticated SSH session that enforces trust on first use: with `pinnedHostKey` set,
 * any other host key aborts the handshake before authentication (the server never sees our key).
 * Rejects with SshConnectionError.
 */
export async function openPinnedConnection(rawTarget: ProbeTarget): Promise<PinnedConnection> {
  const parsed = parseProbeTarget(rawTarget);
  if (!parsed.ok) throw new SshConnectionError('error', parsed.reason);
  const target = parsed.target;
  const privateKey = await readPrivateKey(target.privateKeyPath);

  let proxy: ProxySocket | undefined;
  if (target.proxyCommand) {
    try {
      const command = expandProxyCommand(target.proxyCommand, target);
      proxy = openProxySocket(command);
    } catch (error) {
      throw new SshConnectionError('error', (error as Error).message);
    }
  }

  return new Promise<PinnedConnection>((resolve, reject) => {
    const client = new Client();
    let presented: HostKey | undefined;
    let mismatch = false;
    let settled = false;

    const fail = (kind: SshFailureKind, message: string) => {
      if (settled) return;
      settled = true;
      client.removeAllListeners('ready');
      client.on('error', () => undefined); // late errors of a connection we already gave up on
      client.destroy();
      proxy?.close();
      reject(new SshConnectionError(kind, message, presented));
    };
    const viaProxy = () => {
      if (!proxy) return '';
      const stderr = proxy.stderr();
      return ` via ssh_proxy_command${stderr ? ` (proxy said: ${stderr})` : ''}`;
    };

    client.once('ready', () => {
      if (settled) return;
      settled = true;
      // presented is always set here: ssh2 calls hostVerifier during key exchange, before 'ready'.
      resolve({
        client,
        hostKey: presented as HostKey,
        close: () => {
          client.end();
          proxy?.close();
        },
      });
    });
    client.on('error', (error: SshError) => {
      if (mismatch && presented && target.pinnedHostKey) {
        fail('host-key-mismatch', mismatchMessage(target, target.pinnedHostKey, presented));
        return;
      }
      const kind = kindOf(error);
      const what = kind === 'auth' ? ` as ${target.username} with ${target.privateKeyPath}: check image_user and user_key_private` : '';
      fail(kind, `SSH to ${describeTarget(target)}${viaProxy()} failed: ${error.message}${what}`);
    });
    // A server (or a proxy) that hangs up before the handshake ends emits only 'close'.
    client.on('close', () =>
      fail('refused', `SSH to ${describeTarget(target)}${viaProxy()} failed: connection closed before the handshake completed`),
    );

    try {
      client.connect({
        host: target.host,
        port: target.port,
        username: target.username,
        privateKey,
        sock: proxy?.stream,
        readyTimeout: target.timeoutMs,
        tryKeyboard: false,
        hostVerifier: (blob: Buffer) => {
          try {
            presented = hostKeyFromBlob(blob);
          } catch {
            return false;
          }
          if (target.pinnedHostKey && !sameHostKey(target.pinnedHostKey, presented)) {
            mismatch = true;
            return false;
          }
          return true;
        },
      });
      // Without TCP_NODELAY each handshake round trip waits for delayed ACKs (~85 ms on loopback).
      client.setNoDelay(true);
    } catch (error) {
      fail('error', `SSH to ${describeTarget(target)} could not start: ${(error as Error).message}`);
    }
  });
}
