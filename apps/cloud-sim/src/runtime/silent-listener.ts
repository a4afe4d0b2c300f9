import { once } from 'node:events';
import { createServer, type Server, type Socket } from 'node:net';

/**
 * The "no banner" fault: the instance's port accepts TCP connections and then says nothing,
 * like a machine whose sshd hangs at start. Probes must time out, not hang forever.
 */
export class SilentListener {
  private readonly sockets = new Set<Socket>();

  private constructor(private readonly server: Server) {
    server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('error', () => undefined);
      socket.on('close', () => this.sockets.delete(socket));
    });
  }

  static async listen(address: string, port: number): Promise<{ listener: SilentListener; port: number }> {
    const server = createServer();
    const listener = new SilentListener(server);
    server.listen(port, address);
    await once(server, 'listening');
    const bound = server.address();
    return { listener, port: typeof bound === 'object' && bound ? bound.port : port };
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
