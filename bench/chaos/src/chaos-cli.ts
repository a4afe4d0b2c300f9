import { writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { spawnTracked, type TrackedProcess } from '@elastiq/testing';
import { type ChaosFleet, KEY_NAME } from './chaos-fleet';

// The `elastiq` command as a user runs it (a child process), for the scenarios about the
// producer itself: killed right after enqueueing, two of them starting one name, its Redis cut.

const CLI_MAIN = join(dirname(require.resolve('@elastiq/cli/package.json')), 'dist', 'main.js');

export interface CliRun {
  process: TrackedProcess;
  /** Exit code (a signal counts as -1) and the combined output. */
  result: Promise<{ code: number; output: string }>;
}

/** An ElastiCluster-format configuration for this fleet: template `chaos` with N nodes. */
export async function writeCliConfig(fleet: ChaosFleet, nodes: number): Promise<string> {
  const path = join(fleet.scratchDir, 'chaos.conf');
  await writeFile(
    path,
    [
      '[cloud/sim]',
      'provider=ec2_boto',
      `ec2_url=${fleet.cloud.ec2Url}`,
      `ec2_region=${fleet.sim.region}`,
      '[login/chaos]',
      'image_user=elastiq',
      'image_sudo=no',
      `user_key_name=${KEY_NAME}`,
      `user_key_private=${fleet.keys.privateKeyPath}`,
      `user_key_public=${fleet.keys.publicKeyPath}`,
      '[setup/chaos]',
      'provider=ansible',
      'frontend_groups=frontend',
      'compute_groups=compute',
      '[cluster/chaos]',
      'cloud=sim',
      'login=chaos',
      'setup=chaos',
      'image_id=ami-sim',
      'flavor=t3.micro',
      'security_group=default',
      'frontend_nodes=1',
      `compute_nodes=${nodes - 1}`,
      'start_timeout=120',
      '',
    ].join('\n'),
  );
  return path;
}

export async function spawnCli(fleet: ChaosFleet, configPath: string, args: string[], redisUrl = fleet.redis.url): Promise<CliRun> {
  const child = await spawnTracked(process.execPath, [CLI_MAIN, '-c', configPath, ...args], {
    env: { PATH: process.env.PATH, HOME: fleet.scratchDir, ...fleet.redisEnv, ELASTIQ_REDIS_URL: redisUrl },
  });
  const result = child.exited.then(async (status) => {
    // The output may trail the exit by a moment.
    await new Promise((resolve) => setTimeout(resolve, 50));
    return { code: status.code ?? -1, output: child.output() };
  });
  return { process: child, result };
}

/** A refusal a user can act on: one line of `elastiq: …`, no stack trace. */
export function isOneLineRefusal(output: string): boolean {
  const lines = output.trim().split('\n').filter((line) => line.trim() !== '' && !/NodeDeprecationWarning|--trace-warnings|a\.co\//.test(line));
  return lines.length >= 1 && lines.length <= 2 && !output.includes('    at ');
}
