// Measures the instance runtime: memory per instance and time to start N instances (10, 100,
// 1000), and SSH handshakes/s sustained by 100 instances. Loopback only, bounded in count and
// time. Run as root from the repository root:
//   node --expose-gc --import tsx apps/cloud-sim/scripts/measure-runtime.ts --mode sshd --counts 1000
// (one count per process gives the cleanest memory numbers: --expose-gc lets it collect first).
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import pino from 'pino';
import { z } from 'zod';
import { createRuntime, type InstanceRuntime, type SshEndpoint, type SshEndpointSpec } from '../src/runtime';
import type { SshdRuntime } from '../src/runtime/sshd-runtime';

const optionsSchema = z.object({
  mode: z.enum(['sshd', 'light']),
  counts: z
    .string()
    .transform((text) => text.split(',').map(Number))
    .pipe(z.array(z.number().int().min(1).max(1000)).min(1)),
  startConcurrency: z.coerce.number().int().min(1).max(1000),
  handshakeInstances: z.coerce.number().int().min(1).max(1000),
  handshakeConcurrency: z.coerce.number().int().min(1).max(200),
  handshakeSeconds: z.coerce.number().min(1).max(60),
});

const IMAGE_USER = 'elastiq-sim';

/** 127.20.0.1 … 127.20.3.250: a block of its own, away from the tests' 127.0.x.y. */
function addressOf(index: number): string {
  return `127.20.${Math.floor(index / 250)}.${(index % 250) + 1}`;
}

function memoryOf(pid: number): { rssKb: number; pssKb: number } {
  const rollup = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
  const field = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(rollup)?.[1] ?? 0);
  return { rssKb: field('Rss'), pssKb: field('Pss') };
}

const CLOCK_TICKS_PER_SECOND = 100; // getconf CLK_TCK on Linux

/**
 * CPU ms a process used, including the children it waited for: load-independent, unlike wall
 * time on a shared 2-core machine. For an sshd this covers its whole exec chain (setpriv,
 * unshare, sh and the reaped mount all ran under the same pid).
 */
function cpuMsOf(pid: number | 'self'): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // utime, stime, cutime, cstime are fields 14-17 of stat, i.e. 11-14 after the name.
  const ticks = fields.slice(11, 15).reduce((sum, value) => sum + Number(value), 0);
  return (ticks * 1000) / CLOCK_TICKS_PER_SECOND;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function startAll(runtime: InstanceRuntime, specs: SshEndpointSpec[], concurrency: number) {
  const latencies: number[] = [];
  const endpoints: SshEndpoint[] = [];
  let next = 0;
  const began = performance.now();
  await Promise.all(
    Array.from({ length: Math.min(concurrency, specs.length) }, async () => {
      while (next < specs.length) {
        const spec = specs[next++];
        const t0 = performance.now();
        endpoints.push(await runtime.start(spec));
        latencies.push(performance.now() - t0);
      }
    }),
  );
  latencies.sort((a, b) => a - b);
  return {
    endpoints,
    wallMs: performance.now() - began,
    p50Ms: percentile(latencies, 50),
    p95Ms: percentile(latencies, 95),
    maxMs: latencies[latencies.length - 1],
  };
}

function runHandshakeLoad(load: object): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...process.execArgv, join(__dirname, 'handshake-load.ts'), JSON.stringify(load)], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`handshake load exited ${code}`))));
  });
}

function gc(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

async function measure(options: z.infer<typeof optionsSchema>): Promise<void> {
  const rootDir = mkdtempSync(join(tmpdir(), 'elastiq-measure-runtime-'));
  const keyPath = join(rootDir, 'id_ed25519');
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', keyPath]);
  const publicKey = readFileSync(`${keyPath}.pub`, 'utf8');
  const port = process.getuid?.() === 0 ? 22 : 0;
  const specsFor = (count: number, run: string): SshEndpointSpec[] =>
    Array.from({ length: count }, (_, index) => ({
      instanceId: `i-${run}-${index}`,
      address: addressOf(index),
      port,
      username: IMAGE_USER,
      authorizedKeys: publicKey,
      stateDir: join(rootDir, run, 'state', String(index)),
      homeDir: join(rootDir, run, 'home', String(index)),
    }));

  try {
    for (const count of options.counts) {
      const runtime = createRuntime({ mode: options.mode, rootDir, logger: pino({ level: 'warn' }) });
      try {
        gc();
        const selfBefore = memoryOf(process.pid);
        const cpuBefore = cpuMsOf('self');
        const started = await startAll(runtime, specsFor(count, `n${count}`), options.startConcurrency);
        const cloudSimCpuMs = cpuMsOf('self') - cpuBefore;
        gc();
        const self = memoryOf(process.pid);
        const sshdPids =
          options.mode === 'sshd'
            ? started.endpoints.map((_, index) => (runtime as SshdRuntime).sshdPidOf(`i-n${count}-${index}`)!)
            : [];
        const children = sshdPids.map(memoryOf).reduce((a, b) => ({ rssKb: a.rssKb + b.rssKb, pssKb: a.pssKb + b.pssKb }), {
          rssKb: 0,
          pssKb: 0,
        });
        const perInstance = (kb: number) => Math.round((kb / count) * 10) / 10;
        const sshdCpuMs = sshdPids.reduce((sum, pid) => sum + cpuMsOf(pid), 0);
        const result: Record<string, unknown> = {
          mode: options.mode,
          instances: count,
          startWallMs: Math.round(started.wallMs),
          startP50Ms: Math.round(started.p50Ms),
          startP95Ms: Math.round(started.p95Ms),
          startMaxMs: Math.round(started.maxMs),
          startCpuMsPerInstance: perInstance(cloudSimCpuMs + sshdCpuMs),
          loadAverage: readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' '),
          cloudSimRssDeltaKbPerInstance: perInstance(self.rssKb - selfBefore.rssKb),
          cloudSimPssDeltaKbPerInstance: perInstance(self.pssKb - selfBefore.pssKb),
          sshdRssKbPerInstance: perInstance(children.rssKb),
          sshdPssKbPerInstance: perInstance(children.pssKb),
        };
        if (count >= options.handshakeInstances) {
          // Server-side CPU: cloud-sim itself (light) or the sshds, whose reaped sessions add to their cutime.
          const serverCpu = () => cpuMsOf('self') + sshdPids.reduce((sum, pid) => sum + cpuMsOf(pid), 0);
          const serverCpuBefore = serverCpu();
          const load = (await runHandshakeLoad({
            targets: started.endpoints.slice(0, options.handshakeInstances).map((e) => ({ host: e.address, port: e.port })),
            username: IMAGE_USER,
            privateKeyPath: keyPath,
            concurrency: options.handshakeConcurrency,
            durationMs: options.handshakeSeconds * 1000,
            maxHandshakes: 50_000,
          })) as { handshakes: number; clientCpuMs: number };
          const serverCpuMs = serverCpu() - serverCpuBefore;
          result.handshakes = {
            ...load,
            serverCpuMsPerHandshake: Math.round((serverCpuMs / load.handshakes) * 100) / 100,
            clientCpuMsPerHandshake: Math.round((load.clientCpuMs / load.handshakes) * 100) / 100,
          };
        }
        const shutdownBegan = performance.now();
        await runtime.shutdown();
        result.shutdownMs = Math.round(performance.now() - shutdownBegan);
        // A restart finds its host key and account in place: what a stop/start of an instance costs.
        const cpuBeforeRestart = cpuMsOf('self');
        const restarted = await startAll(runtime, specsFor(count, `n${count}`), options.startConcurrency);
        const restartSshdCpuMs =
          options.mode === 'sshd'
            ? Array.from({ length: count }, (_, index) => (runtime as SshdRuntime).sshdPidOf(`i-n${count}-${index}`)!)
                .map(cpuMsOf)
                .reduce((a, b) => a + b, 0)
            : 0;
        result.restartCpuMsPerInstance = perInstance(cpuMsOf('self') - cpuBeforeRestart + restartSshdCpuMs);
        result.restartWallMs = Math.round(restarted.wallMs);
        result.restartP50Ms = Math.round(restarted.p50Ms);
        process.stdout.write(`${JSON.stringify(result)}\n`);
      } finally {
        await runtime.shutdown();
      }
    }
  } finally {
    rmSync(rootDir, { recursive: true, force: true });
  }
}

const program = new Command()
  .option('--mode <mode>', 'sshd or light', 'sshd')
  .option('--counts <list>', 'instance counts to start, comma-separated (max 1000)', '10,100,1000')
  .option('--start-concurrency <n>', 'start() calls in flight', '100')
  .option('--handshake-instances <n>', 'instances the handshake load spreads over', '100')
  .option('--handshake-concurrency <n>', 'handshakes in flight', '50')
  .option('--handshake-seconds <s>', 'how long the handshake load runs', '10');
program.parse();
measure(optionsSchema.parse(program.opts())).catch((error) => {
  process.stderr.write(`${(error as Error).message}\n`);
  process.exit(1);
});
