import { readFile } from 'node:fs/promises';
import { freePort } from './free-port';
import { type RedisPingOptions, redisAnswersPing } from './redis-ping';
import { type TrackedProcess, spawnTracked } from './spawn-tracked';
import { makeTempDir } from './temp-dir';
import type { TlsCertificate } from './tls-certificate';

export interface StartRedisOptions {
  /** AOF persistence (`--appendonly yes`) in `dir`, for restart tests. */
  persistent?: boolean;
  /** Redis working directory. Default: a fresh temp dir, removed by stop(). */
  dir?: string;
  /** How long to wait for the first PONG. */
  readyTimeoutMs?: number;
  /** Serve TLS only (`--port 0 --tls-port N`) with this certificate; the URL becomes rediss://. */
  tls?: TlsCertificate;
  /** An ACL user (every command unless `rules` say otherwise), the `default` user off: the URL carries both. */
  user?: { name: string; password: string; rules?: string[] };
  /** Default noeviction, as BullMQ requires; other values are for tests of the check. */
  maxmemoryPolicy?: string;
  /** Listen on this port (a restart of a persistent server on its old port); default: a free one. */
  port?: number;
  /** More `--option value` pairs (e.g. cluster mode). */
  extraArgs?: (port: number) => string[];
}

export interface RunningRedis {
  /** `redis://127.0.0.1:<port>` (`rediss://user:password@…` with tls/user). */
  url: string;
  port: number;
  pid: number;
  dir: string;
  /** Kills the server by pid (SIGTERM: Redis flushes its AOF) and waits for the exit. */
  stop(signal?: NodeJS.Signals): Promise<void>;
}

const PORT_ATTEMPTS = 5;

function redisArgs(port: number, dir: string, options: StartRedisOptions): string[] {
  const { tls, user } = options;
  return [
    ...(tls
      ? ['--port', '0', '--tls-port', String(port), '--tls-cert-file', tls.certFile, '--tls-key-file', tls.keyFile, '--tls-ca-cert-file', tls.caFile, '--tls-auth-clients', 'no']
      : ['--port', String(port)]),
    ...(user ? ['--user', 'default', 'off', '--user', user.name, 'on', `>${user.password}`, '~*', '&*', ...(user.rules ?? ['+@all'])] : []),
    '--bind', '127.0.0.1',
    '--dir', dir,
    '--save', '',
    '--appendonly', options.persistent ? 'yes' : 'no',
    // BullMQ refuses to work reliably when Redis may evict its keys.
    '--maxmemory-policy', options.maxmemoryPolicy ?? 'noeviction',
    '--daemonize', 'no',
    '--loglevel', 'warning',
    ...(options.extraArgs?.(port) ?? []),
  ];
}

async function waitUntilReady(server: TrackedProcess, port: number, timeoutMs: number, ping: RedisPingOptions): Promise<'ready' | 'exited'> {
  let exited = false;
  void server.exited.then(() => {
    exited = true;
  });
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (exited) return 'exited';
    if (await redisAnswersPing(port, '127.0.0.1', ping)) return 'ready';
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  await server.stop('SIGKILL');
  throw new Error(`redis-server on port ${port} did not answer PING within ${timeoutMs} ms:\n${server.output()}`);
}

function urlOf(port: number, { tls, user }: StartRedisOptions): string {
  const credentials = user ? `${encodeURIComponent(user.name)}:${encodeURIComponent(user.password)}@` : '';
  return `${tls ? 'rediss' : 'redis'}://${credentials}127.0.0.1:${port}`;
}

/** Spawns a real redis-server on a free loopback port and waits until it answers PING. */
export async function startRedis(options: StartRedisOptions = {}): Promise<RunningRedis> {
  const { dir, readyTimeoutMs = 10_000 } = options;
  const ownDir = dir === undefined ? await makeTempDir('redis') : undefined;
  const workDir = dir ?? (ownDir as { path: string }).path;
  const ping: RedisPingOptions = {
    ...(options.tls ? { tlsCa: await readFile(options.tls.caFile) } : {}),
    ...(options.user ? { auth: { username: options.user.name, password: options.user.password } } : {}),
  };
  try {
    for (let attempt = 1; attempt <= PORT_ATTEMPTS; attempt += 1) {
      const port = options.port ?? (await freePort());
      const server = await spawnTracked('redis-server', redisArgs(port, workDir, options));
      const outcome = await waitUntilReady(server, port, readyTimeoutMs, ping);
      if (outcome === 'exited') {
        // Another process took the port between freePort() and the bind: try another one.
        if (/address already in use/i.test(server.output()) && options.port === undefined) continue;
        throw new Error(`redis-server exited before it answered PING:\n${server.output()}`);
      }
      return {
        url: urlOf(port, options),
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
