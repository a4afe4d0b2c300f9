import { once } from 'node:events';
import { createServer } from 'node:net';

/**
 * Asks the kernel for a free port on the instance's own address. sshd needs the number up
 * front; the tiny window before sshd binds it is acceptable because every instance has its
 * own address, so only a second bind on the *same* address could collide.
 */
export async function findFreePort(address: string): Promise<number> {
  const server = createServer();
  server.listen(0, address);
  await once(server, 'listening');
  const bound = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (typeof bound !== 'object' || bound === null) throw new Error(`could not read a free port on ${address}`);
  return bound.port;
}
