import { freePort } from './free-port';
import { redisAnswersPing } from './redis-ping';
import { type TrackedProcess, spawnTracked } from './spawn-tracked';
import { makeTempDir } from './temp-dir';

export interface StartRedisOptions {
  /** AOF persistence (`--appendonly yes`) in `dir`, for restart tests. */
  persistent?: boolean;
  /** Redis working directory. Default: a fresh temp dir, removed by stop(). */
  dir?: string;
  /** How long to wait for the first PONG. */
  readyTimeoutMs?: number;
}

export interface RunningRedis {
  /** `redis://127.0.0.1:<port>` */
  url: string;
  port: number;
  pid: number;
  dir: string;
  /** Kills the server by pid (SIGTERM: Redis flushes its AOF) and waits for the exit. */
  stop(signal?: NodeJS.Signals): Promise<void>;
}

const PORT_ATTEMPTS = 5;

function redisArgs(port: number, dir: string, persistent: boolean): string[] {
  return [
    '--port', String(port),
    '--bind', '127.0.0.1',
    '--dir', dir,
    '--save', '',
    '--appendonly', persistent ? 'yes' : 'no',
    // BullMQ refuses to work reliably when Redis may evict its keys.
    '--maxmemory-policy', 'noeviction',
    '--daemonize', 'no',
    '--loglevel', 'warning',
  ];
}

async function waitUntilReady(server: TrackedProcess, port: number, timeoutMs: number): Promise<'ready' | 'exited'> {
  let exited = false;
  void server.exited.then(() => {
    exited = true;
  });
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (exited) return 'exited';
    if (await redisAnswersPing(port)) return 'ready';
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  await server.stop('SIGKILL');
  throw new Error(`redis-server on port ${port} did not answer PING within ${timeoutMs} ms:\n${server.output()}`);
}

/** Spawns a real redis-server on a free loopback port and waits until it answers PING. */
export async function startRedis({ persistent = false, dir, readyTimeoutMs = 10_000 }: StartRedisOptions = {}): Promise<RunningRedis> {
  const ownDir = dir === undefined ? await makeTempDir('redis') : undefined;
  const workDir = dir ?? (ownDir as { path: string }).path;
  try {
    for (let attempt = 1; attempt <= PORT_ATTEMPTS; attempt += 1) {
      const port = await freePort();
      const server = await spawnTracked('redis-server', redisArgs(port, workDir, persistent));
      const outcome = await waitUntilReady(server, port, readyTimeoutMs);
      if (outcome === 'exited') {
        // Another process took the port between freePort() and the bind: try another one.
        if (/address already in use/i.test(server.output())) continue;
        throw new Error(`redis-server exited before it answered PING:\n${server.output()}`);
      }
      return {
        url: `redis://127.0.0.1:${port}`,
        port,
        pid: server.pid,
        dir: workDir,
        async stop(signal = 'SIGTERM') {
          await server.stop(signal);
          await ownDir?.cleanup();
        },
      };
    }
    throw new Error(`redis-server could not bind a free port in ${PORT_ATTEMPTS} attempts`);
  } catch (error) {
    await ownDir?.cleanup();
    throw error;
  }
}
