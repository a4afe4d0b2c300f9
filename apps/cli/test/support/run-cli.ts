import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

// Each run is a Node process start (~0.5-2 s on a busy 2-core machine), and a project's
// testTimeout is ignored when jest runs several projects at once (`npm test`): set it here.
jest.setTimeout(120_000);

export const REPO_ROOT = join(__dirname, '..', '..', '..', '..');
export const CLI_MAIN = join(REPO_ROOT, 'apps', 'cli', 'dist', 'main.js');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs the built `elastiq` as a user would: a child process with its own environment. Inherited
 * ELASTIQ_* variables are dropped so a developer's shell cannot change what a test sees.
 */
export function runCli(args: readonly string[], env: Record<string, string> = {}, options: { timeoutMs?: number } = {}): Promise<CliResult> {
  if (!existsSync(CLI_MAIN)) throw new Error(`${CLI_MAIN} is missing: build the CLI first with \`npm run build -w @elastiq/cli\``);
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('ELASTIQ_') && !name.startsWith('EC2_')));
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [CLI_MAIN, ...args],
      { cwd: REPO_ROOT, env: { ...inherited, ...env }, timeout: options.timeoutMs ?? 30_000, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : 1;
        resolve({ code, stdout, stderr });
      },
    );
  });
}
