import { dirname, join } from 'node:path';
import { freePort, spawnTracked, type TrackedProcess, waitFor } from '@elastiq/testing';
import { z } from 'zod';

// cloud-sim as its own process, with its instances under the run's temp dir and its account
// kept there (--keep-state), so that it can be SIGKILLed and started again on the same port and
// still know every instance it launched, as a real cloud's control plane would.

const CLOUD_SIM_MAIN = join(dirname(require.resolve('@elastiq/cloud-sim/package.json')), 'dist', 'main.js');
const READY_LINE = /cloud-sim ready at (http:\/\/127\.0\.0\.1:\d+) region=(\S+)/;

const instanceSchema = z.object({
  instanceId: z.string(),
  state: z.string(),
  tags: z.record(z.string(), z.string()),
  clientToken: z.string().nullable(),
});
export type ChaosInstance = z.infer<typeof instanceSchema>;

export interface ChaosCloudSimOptions {
  rootDir: string;
  seed: number;
  bootDelay: string;
  /** Faults from the start (the shape of POST /_sim/faults). */
  faults?: Record<string, unknown>;
}

export class ChaosCloudSim {
  private process!: TrackedProcess;
  endpoint = '';
  region = '';

  private constructor(
    private readonly options: ChaosCloudSimOptions,
    readonly port: number,
  ) {}

  static async start(options: ChaosCloudSimOptions): Promise<ChaosCloudSim> {
    const sim = new ChaosCloudSim(options, await freePort());
    await sim.spawn();
    return sim;
  }

  async instances(): Promise<ChaosInstance[]> {
    return z.array(instanceSchema).parse(await this.request('GET', '/_sim/instances'));
  }

  async setFaults(update: Record<string, unknown>): Promise<void> {
    await this.request('POST', '/_sim/faults', update);
  }

  async clearFaults(): Promise<void> {
    await this.request('DELETE', '/_sim/faults');
  }

  async stop(): Promise<void> {
    await this.process.stop('SIGTERM', 30_000);
  }

  /** SIGKILL (its SSH servers die with it), then the same command again after `downMs`. */
  async restart(downMs: number): Promise<void> {
    await this.process.stop('SIGKILL', 10_000);
    await new Promise((resolve) => setTimeout(resolve, downMs));
    await this.spawn();
  }

  private async spawn(): Promise<void> {
    const args = [
      CLOUD_SIM_MAIN,
      '--port', String(this.port),
      '--root-dir', this.options.rootDir,
      '--keep-state',
      '--boot-delay', this.options.bootDelay,
      '--seed', String(this.options.seed),
      '--log-level', 'error',
      ...(this.options.faults ? ['--faults', JSON.stringify(this.options.faults)] : []),
    ];
    this.process = await spawnTracked(process.execPath, args, { keepOutputBytes: 32_768 });
    const match = await waitFor(
      () => {
        if (this.process.child.exitCode !== null) throw new Error(`cloud-sim exited: ${this.process.output().slice(-1000)}`);
        return READY_LINE.exec(this.process.output());
      },
      { timeoutMs: 30_000, description: 'cloud-sim to print its ready line' },
    );
    this.endpoint = match[1];
    this.region = match[2];
  }

  private async request(method: string, path: string, body?: unknown): Promise<unknown> {
    const response = await fetch(`${this.endpoint}${path}`, {
      method,
      ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
      signal: AbortSignal.timeout(30_000),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`cloud-sim ${method} ${path} answered HTTP ${response.status}: ${text.slice(0, 300)}`);
    return text === '' ? null : JSON.parse(text);
  }
}
