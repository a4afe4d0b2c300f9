import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { freePort } from './free-port';
import { redisAnswersPing } from './redis-ping';
import { spawnTracked } from './spawn-tracked';
import { type RunningRedis, startRedis } from './start-redis';
import { makeTempDir } from './temp-dir';

export interface RunningRedisSentinel {
  /** The master the sentinel watches, under `masterName`. */
  master: RunningRedis;
  masterName: string;
  /** `127.0.0.1:<port>` of the sentinel. */
  sentinel: { host: string; port: number; pid: number };
  /** Kills the sentinel and the master by pid and removes their directories. */
  stop(): Promise<void>;
}

/** A master redis-server and one `redis-server --sentinel` watching it, on free loopback ports. */
export async function startRedisSentinel({ masterName = 'elastiq-master' }: { masterName?: string } = {}): Promise<RunningRedisSentinel> {
  const master = await startRedis();
  const dir = await makeTempDir('redis-sentinel');
  try {
    const port = await freePort();
    // Sentinel rewrites its configuration file, so it gets one of its own.
    const config = join(dir.path, 'sentinel.conf');
    await writeFile(config, [`port ${port}`, 'bind 127.0.0.1', `dir ${dir.path}`, `sentinel monitor ${masterName} 127.0.0.1 ${master.port} 1`, ''].join('\n'));
    const sentinel = await spawnTracked('redis-server', [config, '--sentinel']);
    const deadline = Date.now() + 10_000;
    while (!(await redisAnswersPing(port))) {
      if (Date.now() > deadline) throw new Error(`redis sentinel on port ${port} did not answer PING:\n${sentinel.output()}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    return {
      master,
      masterName,
      sentinel: { host: '127.0.0.1', port, pid: sentinel.pid },
      async stop() {
        await sentinel.stop('SIGKILL');
        await master.stop();
        await dir.cleanup();
      },
    };
  } catch (error) {
    await master.stop();
    await dir.cleanup();
    throw error;
  }
}
