import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { freePort } from '@elastiq/testing';

// A loopback TCP relay in front of a server (Redis for one client, or cloud-sim's API for the
// whole fleet): cutting it drops every connection and refuses new ones, while the server
// itself and everyone else's connections stay as they were.

export class TcpProxy {
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();

  private constructor(
    readonly port: number,
    private readonly targetPort: () => number,
  ) {}

  static async start(targetPort: () => number): Promise<TcpProxy> {
    const proxy = new TcpProxy(await freePort(), targetPort);
    await proxy.listen();
    return proxy;
  }

  /** `redis://` or `http://` address of the relay. */
  url(scheme: 'redis' | 'http'): string {
    return `${scheme}://127.0.0.1:${this.port}`;
  }

  /** Drops every connection and refuses new ones for `ms`. */
  async cut(ms: number): Promise<void> {
    await this.close();
    await new Promise((resolve) => setTimeout(resolve, ms));
    await this.listen();
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise((resolve) => server.close(resolve));
  }

  private listen(): Promise<void> {
    const server = createServer((client) => {
      const upstream = createConnection({ host: '127.0.0.1', port: this.targetPort() });
      for (const socket of [client, upstream]) {
        this.sockets.add(socket);
        socket.on('close', () => this.sockets.delete(socket));
        socket.on('error', () => undefined);
      }
      client.pipe(upstream).pipe(client);
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    });
    this.server = server;
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
  }
}
