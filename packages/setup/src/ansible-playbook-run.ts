import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { describeResult, type HostStats, parseAnsibleEventLine, renderAnsibleEvent } from './ansible-events';

export interface PlaybookRunResult {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  /** The PLAY RECAP per host; undefined when Ansible ended before printing it (bad playbook, crash). */
  stats: Record<string, HostStats> | undefined;
  /** The latest failure or unreachable message per host. */
  lastFailure: Record<string, string>;
  /** The last lines Ansible wrote to stderr (its errors about the playbook or inventory). */
  stderrTail: string[];
}

const STDERR_TAIL_LINES = 20;

/**
 * Runs ansible-playbook once and reads its JSONL events as they come: every event becomes
 * human-readable log lines, and the recap becomes the per-host result. ansible-playbook runs in
 * its own process group so an abort also ends the ssh processes it started.
 */
export function runPlaybook(
  argv: readonly string[],
  options: { cwd: string; env: Record<string, string>; onLog: (line: string) => void; signal?: AbortSignal },
): Promise<PlaybookRunResult> {
  const [command, ...args] = argv;
  if (command === undefined) throw new Error('runPlaybook needs a command');
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    const result: PlaybookRunResult = { exitCode: null, signal: null, stats: undefined, lastFailure: {}, stderrTail: [] };

    const abort = () => {
      if (child.pid !== undefined) killGroup(child.pid);
    };
    options.signal?.addEventListener('abort', abort, { once: true });

    createInterface({ input: child.stdout }).on('line', (line) => {
      const event = parseAnsibleEventLine(line);
      if (event === undefined) {
        if (line.trim() !== '') options.onLog(line);
        return;
      }
      for (const rendered of renderAnsibleEvent(event)) options.onLog(rendered);
      if (event._event === 'v2_playbook_on_stats') result.stats = event.stats;
      if (event._event === 'v2_runner_on_failed' || event._event === 'v2_runner_on_unreachable') {
        for (const [host, hostResult] of Object.entries(event.hosts)) {
          result.lastFailure[host] = `${event.task.name}: ${describeResult(hostResult) ?? event._event}`;
        }
      }
    });
    const stderrDone = new Promise<void>((done) => {
      createInterface({ input: child.stderr })
        .on('line', (line) => {
          if (line.trim() === '') return;
          options.onLog(line);
          result.stderrTail.push(line);
          if (result.stderrTail.length > STDERR_TAIL_LINES) result.stderrTail.shift();
        })
        .on('close', done);
    });

    child.on('error', (error) => {
      options.signal?.removeEventListener('abort', abort);
      reject(error);
    });
    child.on('close', (code, signal) => {
      options.signal?.removeEventListener('abort', abort);
      result.exitCode = code;
      result.signal = signal;
      void stderrDone.then(() => resolve(result));
    });
  });
}

function killGroup(pid: number): void {
  try {
    process.kill(-pid, 'SIGTERM');
  } catch {
    // Already gone.
  }
}
