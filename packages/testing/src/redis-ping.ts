import { connect as connectTcp, type Socket } from 'node:net';
import { connect as connectTls } from 'node:tls';

export interface RedisPingOptions {
  timeoutMs?: number;
  /** Talk TLS, trusting this CA (PEM). */
  tlsCa?: Buffer;
  /** AUTH first (an ACL user, or `default` for requirepass). */
  auth?: { username: string; password: string };
}

function command(...parts: string[]): string {
  return `*${parts.length}\r\n${parts.map((part) => `$${Buffer.byteLength(part)}\r\n${part}\r\n`).join('')}`;
}

/**
 * Sends one PING (after AUTH, over TLS when asked) and resolves true on `+PONG`. A raw socket
 * instead of a client library: readiness polling must not leave reconnecting clients behind, and
 * `-LOADING` (an AOF replay in progress) must count as "not ready".
 */
export function redisAnswersPing(port: number, host = '127.0.0.1', { timeoutMs = 500, tlsCa, auth }: RedisPingOptions = {}): Promise<boolean> {
  return new Promise((resolve) => {
    const socket: Socket = tlsCa ? connectTls({ host, port, ca: tlsCa }) : connectTcp({ host, port });
    const expected = auth ? 2 : 1;
    let reply = '';
    const finish = (ready: boolean) => {
      socket.destroy();
      resolve(ready);
    };
    socket.setTimeout(timeoutMs, () => finish(false));
    socket.once('error', () => finish(false));
    socket.once(tlsCa ? 'secureConnect' : 'connect', () => {
      socket.write(`${auth ? command('AUTH', auth.username, auth.password) : ''}${command('PING')}`);
    });
    socket.on('data', (chunk) => {
      reply += chunk.toString('utf8');
      const lines = reply.split('\r\n').slice(0, -1);
      if (lines.length >= expected) finish(lines[expected - 1] === '+PONG' && lines.slice(0, expected - 1).every((line) => line === '+OK'));
    });
  });
}
