import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { generateSshKeyPair, makeTempDir, type SshKeyPair, type TempDir } from '@elastiq/testing';
import fc from 'fast-check';
import { probeNode } from '../src';

// Issue 14, part 2: an SSH port that answers what no sshd would: garbage instead of a banner,
// a banner and then garbage, an SSH-1 banner, endless pre-banner lines, a key exchange that never
// comes, a reset. The probe must never say "up", never throw, never outlast its timeout by much,
// and say what went wrong on one line. Fixed seed, bounded runs.
const RUNS = { seed: 1416, numRuns: 40 };
const TIMEOUT_MS = 600;

type Behaviour = { write: Buffer; afterwards: 'close' | 'idle' | 'reset' | 'flood' };

const bytes = fc.uint8Array({ maxLength: 200 }).map((array) => Buffer.from(array));
const behaviour: fc.Arbitrary<Behaviour> = fc.record({
  write: fc.oneof(
    bytes,
    bytes.map((tail) => Buffer.concat([Buffer.from('SSH-2.0-hostile\r\n'), tail])),
    fc.constantFrom(
      Buffer.from('SSH-1.5-ancient\r\n'),
      Buffer.from('SSH-2.0-'),
      Buffer.from(`${'x'.repeat(300)}\r\n`.repeat(50)),
      Buffer.from('SSH-2.0-ok\r\n\x00\x00\x00\x0c\x0a\x14garbagekex'),
      Buffer.from('HTTP/1.1 400 Bad Request\r\n\r\n'),
      Buffer.alloc(0),
    ),
  ),
  afterwards: fc.constantFrom('close', 'idle', 'reset', 'flood'),
});

describe('the SSH probe against a hostile server', () => {
  let temp: TempDir;
  let key: SshKeyPair;
  let server: Server;
  let current: Behaviour = { write: Buffer.alloc(0), afterwards: 'close' };
  const sockets = new Set<Socket>();

  beforeAll(async () => {
    temp = await makeTempDir('ssh-hostile');
    key = await generateSshKeyPair(temp.path, 'ed25519');
    server = createServer((socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => undefined);
      const { write, afterwards } = current;
      socket.write(write);
      if (afterwards === 'close') socket.end();
      else if (afterwards === 'reset') socket.resetAndDestroy();
      else if (afterwards === 'flood') {
        // Bytes without end, never a packet that parses.
        const timer = setInterval(() => socket.write(Buffer.alloc(4096, 0x41)), 20);
        socket.on('close', () => clearInterval(timer));
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  });
  afterAll(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => server.close(resolve));
    await temp.cleanup();
  });

  it('never reports up, never throws, ends near its timeout and says why on one line', async () => {
    await fc.assert(
      fc.asyncProperty(behaviour, async (given) => {
        current = given;
        const began = Date.now();
        const result = await probeNode({
          host: '127.0.0.1',
          port: (server.address() as AddressInfo).port,
          username: 'elastiq',
          privateKeyPath: key.privateKeyPath,
          timeoutMs: TIMEOUT_MS,
        });
        expect(Date.now() - began).toBeLessThan(TIMEOUT_MS + 1_500);
        expect(result.ok).toBe(false);
        if (result.ok) return;
        expect(['refused', 'timeout', 'auth', 'host-key-mismatch', 'error']).toContain(result.kind);
        expect(result.reason).toMatch(/\S/);
        expect(result.reason).not.toMatch(/[\r\n]/);
      }),
      RUNS,
    );
  }, 120_000);
});
