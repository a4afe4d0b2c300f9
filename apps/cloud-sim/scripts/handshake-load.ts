// Load generator for measure-runtime.ts, run as its own process so that the client's CPU does
// not share an event loop with the light runtime's servers. Loopback targets only.
import { readFileSync } from 'node:fs';
import { Client } from 'ssh2';
import { z } from 'zod';

const loadSpecSchema = z.object({
  targets: z.array(z.object({ host: z.string().regex(/^127\.\d+\.\d+\.\d+$/), port: z.number().int() })).min(1),
  username: z.string(),
  privateKeyPath: z.string(),
  concurrency: z.number().int().min(1).max(200),
  durationMs: z.number().int().min(100).max(60_000),
  maxHandshakes: z.number().int().min(1).max(100_000),
});

function handshake(target: { host: string; port: number }, username: string, privateKey: Buffer): Promise<void> {
  return new Promise((resolve, reject) => {
    const client = new Client();
    client
      .on('ready', () => {
        client.end();
        resolve();
      })
      .on('error', reject)
      .connect({ host: target.host, port: target.port, username, privateKey, readyTimeout: 10_000 })
      .setNoDelay(true);
  });
}

async function main(): Promise<void> {
  const spec = loadSpecSchema.parse(JSON.parse(process.argv[2] ?? ''));
  const privateKey = readFileSync(spec.privateKeyPath);
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  const deadline = started + spec.durationMs;
  let handshakes = 0;
  let errors = 0;
  let next = 0;
  const firstErrors: string[] = [];
  const worker = async () => {
    while (performance.now() < deadline && handshakes + errors < spec.maxHandshakes) {
      const target = spec.targets[next++ % spec.targets.length];
      try {
        await handshake(target, spec.username, privateKey);
        handshakes += 1;
      } catch (error) {
        errors += 1;
        if (firstErrors.length < 3) firstErrors.push((error as Error).message);
      }
    }
  };
  await Promise.all(Array.from({ length: spec.concurrency }, worker));
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  const clientCpuMs = (cpu.user + cpu.system) / 1000;
  process.stdout.write(
    `${JSON.stringify({ handshakes, errors, seconds, perSecond: handshakes / seconds, clientCpuMs, firstErrors })}\n`,
  );
}

main().catch((error) => {
  process.stderr.write(`${(error as Error).message}\n`);
  process.exit(1);
});
