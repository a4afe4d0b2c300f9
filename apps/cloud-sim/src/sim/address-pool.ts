import { createServer, type Server } from 'node:net';

// Every instance gets its own loopback address 127.B.x.y (the whole 127/8 is routed on `lo`),
// never 127.0.0.1. Several cloud-sims may run at once (parallel test files), so each claims
// a whole block B by listening on the block's marker address 127.B.255.254: the kernel keeps
// the claim exactly as long as the claiming process lives, so a crashed sim frees its block.

const MARKER_PORT = 65010;

export class AddressPool {
  private nextHost = 1;
  private released: number[] = [];

  private constructor(
    readonly block: number,
    private readonly claim: Server,
  ) {}

  static async claim(preferredBlock?: number): Promise<AddressPool> {
    const start = preferredBlock ?? 1 + Math.floor(Math.random() * 254);
    for (let attempt = 0; attempt < 254; attempt++) {
      const block = ((start - 1 + attempt) % 254) + 1;
      const server = await listenOn(`127.${block}.255.254`);
      if (server) return new AddressPool(block, server);
      if (preferredBlock !== undefined) break;
    }
    throw new Error(
      preferredBlock === undefined
        ? 'no free loopback address block 127.1-254.*.* (each running cloud-sim holds one)'
        : `loopback address block 127.${preferredBlock}.*.* is held by another cloud-sim`,
    );
  }

  /** 127.B.x.y for hosts 1 … 65,000-ish; .0 and .255 are skipped to stay unambiguous. */
  allocate(): string {
    const host = this.released.shift() ?? this.nextHost++;
    const high = Math.floor((host - 1) / 254);
    const low = ((host - 1) % 254) + 1;
    if (high > 254) throw new Error(`loopback block 127.${this.block}.*.* is exhausted`);
    return `127.${this.block}.${high}.${low}`;
  }

  release(address: string): void {
    this.released.push(hostNumberOf(address));
  }

  /** Marks the addresses of restored instances as taken (a kept account, --keep-state). */
  reserve(addresses: readonly string[]): void {
    const taken = new Set(addresses.map(hostNumberOf));
    const highest = Math.max(0, ...taken);
    this.nextHost = highest + 1;
    this.released = [];
    for (let host = 1; host < highest; host++) if (!taken.has(host)) this.released.push(host);
  }

  reset(): void {
    this.nextHost = 1;
    this.released = [];
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.claim.close(() => resolve()));
  }
}

/** The inverse of allocate()'s numbering. */
function hostNumberOf(address: string): number {
  const [, , high, low] = address.split('.').map(Number);
  return high * 254 + low;
}

function listenOn(host: string): Promise<Server | undefined> {
  return new Promise((resolve) => {
    const server = createServer((socket) => socket.destroy());
    server.once('error', () => resolve(undefined));
    server.listen({ host, port: MARKER_PORT, exclusive: true }, () => {
      server.unref();
      resolve(server);
    });
  });
}
