import type { ClientChannel } from 'ssh2';
import type { ProbeTarget } from './contracts';
import { openPinnedConnection } from './pinned-connection';
import { describeTarget } from './probe-target';
import { SshConnectionError } from './ssh-connection-error';

export interface ExecOptions {
  /** Deadline for the whole command, connection included. */
  timeoutMs: number;
  /** Output kept per stream; the rest is dropped so a chatty command cannot exhaust memory. */
  maxOutputBytes?: number;
}

export interface ExecResult {
  /** Exit status; null when the command was killed by a signal. */
  code: number | null;
  stdout: string;
  stderr: string;
}

function collect(stream: NodeJS.ReadableStream, limit: number): () => string {
  const chunks: Buffer[] = [];
  let kept = 0;
  stream.on('data', (chunk: Buffer) => {
    if (kept >= limit) return;
    const part = chunk.subarray(0, limit - kept);
    chunks.push(part);
    kept += part.length;
  });
  return () => Buffer.concat(chunks).toString('utf8');
}

/**
 * Runs one command on a node over a pinned connection: a host key other than the pinned one makes
 * it reject before authenticating, so nothing runs on an impostor. Rejects with SshConnectionError.
 */
export async function execOnNode(target: ProbeTarget, command: string, options: ExecOptions): Promise<ExecResult> {
  const { timeoutMs, maxOutputBytes = 1024 * 1024 } = options;
  const deadline = Date.now() + timeoutMs;
  const connection = await openPinnedConnection({ ...target, timeoutMs: Math.min(target.timeoutMs, timeoutMs) });
  try {
    return await new Promise<ExecResult>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new SshConnectionError('timeout', `command on ${describeTarget(target)} did not finish within ${timeoutMs} ms`)),
        Math.max(0, deadline - Date.now()),
      );
      connection.client.exec(command, (error: Error | undefined, channel: ClientChannel) => {
        if (error) {
          clearTimeout(timer);
          reject(new SshConnectionError('error', `cannot run a command on ${describeTarget(target)}: ${error.message}`));
          return;
        }
        const stdout = collect(channel, maxOutputBytes);
        const stderr = collect(channel.stderr, maxOutputBytes);
        // 'exit' carries the status; a 'close' without it means the connection went away mid-command.
        let exit: { code: number | null } | undefined;
        channel.on('exit', (code: number | null | undefined) => {
          exit = { code: typeof code === 'number' ? code : null };
        });
        channel.on('close', () => {
          clearTimeout(timer);
          if (exit) resolve({ code: exit.code, stdout: stdout(), stderr: stderr() });
          else reject(new SshConnectionError('error', `the connection to ${describeTarget(target)} ended before the command reported its exit status`));
        });
      });
    });
  } finally {
    connection.close();
  }
}
