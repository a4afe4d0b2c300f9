import { type ChildProcess, type SpawnOptions, spawn } from 'node:child_process';
import { registerPid, unregisterPid } from './process-registry';

export interface ExitStatus {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface TrackedProcess {
  readonly child: ChildProcess;
  readonly pid: number;
  /** Settles when the process has exited (never rejects). */
  readonly exited: Promise<ExitStatus>;
  /** The last bytes the process wrote to stdout and stderr (when piped; may trail `exited` slightly). */
  output(): string;
  /**
   * Sends `signal` (SIGTERM by default) and waits for the exit; escalates to SIGKILL when the
   * process is still alive after `graceMs`.
   */
  stop(signal?: NodeJS.Signals, graceMs?: number): Promise<ExitStatus>;
}

export interface SpawnTrackedOptions extends SpawnOptions {
  /** How much of the combined output to keep for error messages. */
  keepOutputBytes?: number;
}

/**
 * Spawns a child process that is killed when the test process exits, whatever happens to the
 * test. Resolves once the process is running; rejects when it cannot be started (ENOENT...).
 */
export function spawnTracked(
  command: string,
  args: readonly string[],
  { keepOutputBytes = 16_384, ...options }: SpawnTrackedOptions = {},
): Promise<TrackedProcess> {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], ...options });
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-keepOutputBytes);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);

  const exited = new Promise<ExitStatus>((resolve) => {
    child.once('exit', (code, signal) => {
      if (child.pid !== undefined) unregisterPid(child.pid);
      resolve({ code, signal });
    });
  });

  return new Promise((resolve, reject) => {
    child.once('error', (error) => reject(new Error(`could not start ${command}: ${error.message}`)));
    child.once('spawn', () => {
      const pid = child.pid as number; // defined once 'spawn' fired
      registerPid(pid);
      resolve({
        child,
        pid,
        exited,
        output: () => output,
        async stop(signal = 'SIGTERM', graceMs = 5000) {
          if (child.exitCode !== null || child.signalCode !== null) return exited;
          child.kill(signal);
          const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
          try {
            return await exited;
          } finally {
            clearTimeout(timer);
          }
        },
      });
    });
  });
}
