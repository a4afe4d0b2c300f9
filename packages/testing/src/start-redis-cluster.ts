import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { freePort } from './free-port';
import { type RunningRedis, startRedis } from './start-redis';
import { makeTempDir } from './temp-dir';

const run = promisify(execFile);

export interface RunningRedisCluster {
  /** `redis://127.0.0.1:<port>` of the first master: a seed for a cluster client. */
  url: string;
  /** Every master, in slot order. */
  nodes: RunningRedis[];
  /** Kills every node by pid and removes their directories. */
  stop(): Promise<void>;
}

async function clusterIsOk(port: number): Promise<boolean> {
  const { stdout } = await run('redis-cli', ['-h', '127.0.0.1', '-p', String(port), 'CLUSTER', 'INFO']).catch(() => ({ stdout: '' }));
  return /cluster_state:ok/.test(stdout);
}

/**
 * A real Redis Cluster of `masters` nodes (no replicas) on free loopback ports: each node a
 * `redis-server --cluster-enabled yes` in its own temp dir, joined by `redis-cli --cluster create`.
 */
export async function startRedisCluster({ masters = 3, readyTimeoutMs = 30_000 }: { masters?: number; readyTimeoutMs?: number } = {}): Promise<RunningRedisCluster> {
  const nodes: RunningRedis[] = [];
  const dirs = await Promise.all(Array.from({ length: masters }, () => makeTempDir('redis-cluster-node')));
  const stop = async () => {
    await Promise.all(nodes.map((node) => node.stop('SIGKILL')));
    await Promise.all(dirs.map((dir) => dir.cleanup()));
  };
  try {
    for (const dir of dirs) {
      // The bus port defaults to port + 10000, which may be taken or above 65535: choose it.
      const busPort = await freePort();
      nodes.push(
        await startRedis({
          dir: dir.path,
          extraArgs: () => ['--cluster-enabled', 'yes', '--cluster-config-file', 'nodes.conf', '--cluster-port', String(busPort), '--cluster-node-timeout', '5000'],
        }),
      );
    }
    await run('redis-cli', ['--cluster', 'create', ...nodes.map((node) => `127.0.0.1:${node.port}`), '--cluster-replicas', '0', '--cluster-yes']);
    const deadline = Date.now() + readyTimeoutMs;
    while (!(await Promise.all(nodes.map((node) => clusterIsOk(node.port)))).every(Boolean)) {
      if (Date.now() > deadline) throw new Error(`the Redis Cluster on ports ${nodes.map((node) => node.port).join(', ')} did not reach cluster_state:ok`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    return { url: nodes[0].url, nodes, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
