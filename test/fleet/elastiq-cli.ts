import { execFile } from 'node:child_process';
import { join } from 'node:path';
import type { FleetHarness } from './fleet-harness';

/** The built `elastiq` command: e2e specs run it as a user would, as a child process. */
export const CLI_MAIN = join(__dirname, '..', '..', 'apps', 'cli', 'dist', 'main.js');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * The whole environment the CLI sees: only PATH, a scratch HOME and the fleet's Redis (URL, TLS
 * or Cluster variables) and prefix, so nothing from the machine running the tests leaks into what is specified.
 */
export function cliEnvironment(fleet: FleetHarness, home: string): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH, HOME: home, ...fleet.redisEnv };
}

/** Runs `elastiq -c <configPath> <args>` to its end; never rejects: the exit code is data. */
export function runElastiq(
  fleet: FleetHarness,
  { configPath, home, timeoutMs }: { configPath: string; home: string; timeoutMs: number },
  args: string[],
): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [CLI_MAIN, '-c', configPath, ...args],
      { env: cliEnvironment(fleet, home), timeout: timeoutMs },
      (error, stdout, stderr) => resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : 1, stdout, stderr }),
    );
  });
}
