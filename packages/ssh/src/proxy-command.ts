import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { Duplex } from 'node:stream';

export interface ProxyEndpoint {
  host: string;
  port: number;
  username: string;
}

/**
 * Expands `%h`, `%p`, `%r` and `%%` in one pass, as ElastiCluster and OpenSSH do. An unknown token is
 * refused rather than passed to the shell, where it would fail in a way that is far harder to read.
 */
export function expandProxyCommand(template: string, endpoint: ProxyEndpoint): string {
  return template.replace(/%(.?)/g, (token, letter: string) => {
    switch (letter) {
      case 'h':
        return endpoint.host;
      case 'p':
        return String(endpoint.port);
      case 'r':
        return endpoint.username;
      case '%':
        return '%';
      default:
        throw new Error(
          `ssh_proxy_command contains the unknown token "${token}": use %h (host), %p (port), %r (user) or %% (a literal %)`,
        );
    }
  });
}

export interface ProxySocket {
  /** The proxy's stdout (bytes from the server) and stdin (bytes to the server) as one stream. */
  stream: Duplex;
  /** What the proxy wrote to stderr, for error messages (bounded). */
  stderr(): string;
  /** Kills the proxy process; safe to call more than once. */
  close(): void;
}

const KEEP_STDERR_CHARS = 512;

/** Runs the expanded proxy command with /bin/sh -c; its stdin/stdout become the SSH transport. */
export function openProxySocket(command: string): ProxySocket {
  const child: ChildProcessWithoutNullStreams = spawn('/bin/sh', ['-c', command], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString('utf8')).slice(-KEEP_STDERR_CHARS);
  });
  // Writes after the proxy died surface as EPIPE on stdin; the SSH client sees the stream end instead.
  child.stdin.on('error', () => undefined);
  const stream = Duplex.from({ readable: child.stdout, writable: child.stdin });
  child.once('error', (error) => stream.destroy(error));
  const close = () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
  };
  stream.once('close', close);
  return { stream, stderr: () => stderr.trim(), close };
}
