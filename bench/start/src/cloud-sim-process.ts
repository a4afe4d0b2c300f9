import { dirname, join } from 'node:path';
import { spawnTracked, type TrackedProcess } from '@elastiq/testing';
import { z } from 'zod';
import { peakRssBytes } from './process-memory';

// cloud-sim runs as its own process (the elastiq-cloud-sim command), not inside the bench: with
// 1,000 instances its SSH servers and API take real CPU, and the bench must neither pay for that
// on its own event loop nor count it as the tool's cost. A fresh one per measured start gives
// every run full AWS token buckets and the same seeded boot-delay draws.

export type SimRuntime = 'sshd' | 'light';

export interface CloudSimProcessOptions {
  bootDelay: string;
  seed: number;
  runtime: SimRuntime;
  /** `--capacity TYPE[@ZONE]=N` rules (the capacity scenario). */
  capacity?: string[];
  /** cloud-sim's --rate-limit-scale (1: AWS-sized buckets). */
  rateLimitScale?: number;
}

const CLOUD_SIM_MAIN = join(dirname(require.resolve('@elastiq/cloud-sim/package.json')), 'dist', 'main.js');
const READY_LINE = /cloud-sim ready at (http:\/\/127\.\d+\.\d+\.\d+:\d+) region=(\S+)/;

const instanceSchema = z.object({
  instanceId: z.string(),
  state: z.string(),
  tags: z.record(z.string(), z.string()),
  launchedAt: z.string(),
  runningAt: z.string().nullable(),
  sshReadyAt: z.string().nullable(),
  terminatedAt: z.string().nullable().optional(),
});
export type SimInstance = z.infer<typeof instanceSchema>;

const actionStatsSchema = z.object({ calls: z.number(), ok: z.number(), errors: z.record(z.string(), z.number()) });
const statsSchema = z.object({
  totalCalls: z.number(),
  throttled: z.number(),
  byAction: z.record(z.string(), actionStatsSchema),
  throttledByAction: z.record(z.string(), z.number()),
});
export type SimStats = z.infer<typeof statsSchema>;

export class CloudSimProcess {
  private constructor(
    private readonly process: TrackedProcess,
    readonly endpoint: string,
    readonly region: string,
    readonly runtime: SimRuntime,
  ) {}

  static async start(options: CloudSimProcessOptions): Promise<CloudSimProcess> {
    const args = [
      CLOUD_SIM_MAIN,
      '--boot-delay', options.bootDelay,
      '--seed', String(options.seed),
      '--runtime', options.runtime,
      '--rate-limit-scale', String(options.rateLimitScale ?? 1),
      '--log-level', 'error',
      ...(options.capacity ?? []).flatMap((rule) => ['--capacity', rule]),
    ];
    const child = await spawnTracked(process.execPath, args, { keepOutputBytes: 65_536 });
    try {
      const match = await waitForReadyLine(child, 30_000);
      return new CloudSimProcess(child, match[1], match[2], options.runtime);
    } catch (error) {
      await child.stop('SIGKILL');
      throw error;
    }
  }

  get pid(): number {
    return this.process.pid;
  }

  async instances(): Promise<SimInstance[]> {
    return z.array(instanceSchema).parse(await this.getJson('/_sim/instances'));
  }

  async stats(): Promise<SimStats> {
    return statsSchema.parse(await this.getJson('/_sim/stats'));
  }

  async peakRssBytes(): Promise<number | null> {
    return peakRssBytes(this.process.pid);
  }

  /** SIGTERM: cloud-sim stops every instance's SSH server before it exits. */
  async stop(): Promise<void> {
    await this.process.stop('SIGTERM', 60_000);
  }

  /** A few tries: a cloud-sim busy with 1,000 instances can drop a connection. */
  private async getJson(path: string): Promise<unknown> {
    let lastError: unknown;
    for (let attempt = 1; attempt <= 4; attempt += 1) {
      try {
        const response = await fetch(`${this.endpoint}${path}`, { signal: AbortSignal.timeout(60_000) });
        if (!response.ok) throw new Error(`cloud-sim ${path} answered HTTP ${response.status}: ${await response.text()}`);
        return await response.json();
      } catch (error) {
        lastError = error;
        if (this.process.child.exitCode !== null || this.process.child.signalCode !== null) break;
        await new Promise((resolve) => setTimeout(resolve, 1000 * attempt));
      }
    }
    const exited = this.process.child.exitCode !== null || this.process.child.signalCode !== null;
    const cause = lastError instanceof Error ? `${lastError.message}${lastError.cause instanceof Error ? ` (${lastError.cause.message})` : ''}` : String(lastError);
    throw new Error(`cloud-sim ${path} failed: ${cause}${exited ? `; cloud-sim exited:\n${this.process.output().slice(-2000)}` : ''}`);
  }
}

async function waitForReadyLine(child: TrackedProcess, timeoutMs: number): Promise<RegExpExecArray> {
  const deadline = Date.now() + timeoutMs;
  let exited = false;
  void child.exited.then(() => {
    exited = true;
  });
  while (Date.now() < deadline) {
    const match = READY_LINE.exec(child.output());
    if (match) return match;
    if (exited) throw new Error(`elastiq-cloud-sim exited before it was ready:\n${child.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`elastiq-cloud-sim printed no ready line within ${timeoutMs} ms:\n${child.output()}`);
}
