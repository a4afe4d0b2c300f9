import { once } from 'node:events';
import { connect } from 'node:net';
import type { SshEndpoint } from '../../src/runtime';

/**
 * Connects to an endpoint and listens for `ms`: how many bytes the server sent, and whether it
 * still held the connection open then. The noBanner fault must answer 0 bytes, still open.
 */
export async function listenWithoutSpeaking(endpoint: SshEndpoint, ms: number): Promise<{ bytesReceived: number; stillOpen: boolean }> {
  const socket = connect(endpoint.port, endpoint.address);
  await once(socket, 'connect');
  const received: Buffer[] = [];
  socket.on('data', (chunk: Buffer) => received.push(chunk));
  await new Promise((resolve) => setTimeout(resolve, ms));
  const result = { bytesReceived: Buffer.concat(received).length, stillOpen: !socket.destroyed };
  socket.destroy();
  return result;
}
