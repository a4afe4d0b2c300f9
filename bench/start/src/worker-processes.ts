import { dirname, join } from 'node:path';
import { openFleetQueues } from '@elastiq/queue';
import { spawnTracked, type TrackedProcess } from '@elastiq/testing';
import type { Redis } from 'ioredis';
import { peakRssBytes } from './process-memory';

// elastiq-worker processes exactly as deployed (apps/worker/dist/main.js), with the fleet's own
// default tuning: the bench measures what users get, not a test-shortened configuration.

const WORKER_MAIN = join(dirname(require.resolve('@elastiq/worker/package.json')), 'dist', 'main.js');

export interface WorkerProcessesOptions {
  count: number;
  redisUrl: string;
  prefix: string;
  /** Extra ELASTIQ_* settings (a what-if run that changes a tuning knob). */
  env?: Record<string, string>;
  /** Extra node flags (profilers: --cpu-prof is refused in NODE_OPTIONS). */
  nodeArgs?: string[];
}

export class WorkerProcesses {
  private constructor(private readonly workers: TrackedProcess[]) {}

  static async start(options: WorkerProcessesOptions, redis: Redis): Promise<WorkerProcesses> {
    const workers: TrackedProcess[] = [];
    const fleet = new WorkerProcesses(workers);
    try {
      for (let index = 0; index < options.count; index += 1) {
        workers.push(
          await spawnTracked(process.execPath, [...(options.nodeArgs ?? []), WORKER_MAIN], {
            env: {
              PATH: process.env.PATH,
              HOME: process.env.HOME,
              ELASTIQ_REDIS_URL: options.redisUrl,
              ELASTIQ_QUEUE_PREFIX: options.prefix,
              ELASTIQ_LOG_LEVEL: 'warn',
              // cloud-sim accepts any access key; these are not secrets.
              AWS_ACCESS_KEY_ID: 'AKIDELASTIQBENCH',
              AWS_SECRET_ACCESS_KEY: 'bench-not-a-secret',
              ...options.env,
            },
          }),
        );
      }
      await fleet.waitUntilServing(redis, options.prefix, options.count);
      return fleet;
    } catch (error) {
      await fleet.stop();
      throw error;
    }
  }

  get pids(): number[] {
    return this.workers.map((worker) => worker.pid);
  }

  /** Peak RSS of each worker since it started; read before stop(). */
  async peakRssBytes(): Promise<(number | null)[]> {
    return Promise.all(this.workers.map((worker) => peakRssBytes(worker.pid)));
  }

  /** Problems a worker logged (pino JSON lines at warn and above), without the AWS SDK's
   *  free-text notice that Node 20 support ends (known, harmless: toolchain-notes.md). */
  output(): string[] {
    return this.workers
      .map((worker) => worker.output().split('\n').filter((line) => line.startsWith('{')).join('\n'))
      .filter((text) => text !== '');
  }

  async stop(): Promise<void> {
    await Promise.all(this.workers.map((worker) => worker.stop('SIGTERM', 10_000)));
  }

  /** A start enqueued before every worker listens would measure process start-up, not the fleet. */
  private async waitUntilServing(redis: Redis, prefix: string, count: number): Promise<void> {
    const queues = openFleetQueues(redis, prefix);
    try {
      const deadline = Date.now() + 30_000;
      while ((await queues.nodeStart.getWorkersCount()) < count) {
        const dead = this.workers.find((worker) => worker.child.exitCode !== null);
        if (dead) throw new Error(`elastiq-worker ${dead.pid} exited at start-up:\n${dead.output()}`);
        if (Date.now() > deadline) throw new Error(`only ${await queues.nodeStart.getWorkersCount()} of ${count} workers listen after 30 s`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    } finally {
      await queues.close();
    }
  }
}
