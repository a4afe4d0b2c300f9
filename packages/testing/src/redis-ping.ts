import { connect } from 'node:net';

/**
 * Sends one inline PING and resolves true on `+PONG`. A raw socket instead of a client library:
 * readiness polling must not leave reconnecting clients behind, and `-LOADING` (an AOF replay in
 * progress) must count as "not ready".
 */
export function redisAnswersPing(port: number, host = '127.0.0.1', timeoutMs = 500): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    let reply = '';
    const finish = (ready: boolean) => {
      socket.destroy();
      resolve(ready);
    };
    socket.setTimeout(timeoutMs, () => finish(false));
    socket.once('error', () => finish(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk) => {
      reply += chunk.toString('utf8');
      if (reply.includes('\r\n')) finish(reply.startsWith('+PONG'));
    });
  });
}
