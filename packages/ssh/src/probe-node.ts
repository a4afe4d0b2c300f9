import type { ProbeResult, ProbeTarget } from './contracts';
import { openPinnedConnection } from './pinned-connection';
import { SshConnectionError } from './ssh-connection-error';

/**
 * Decides whether a node is up exactly as ElastiCluster does: an SSH connection authenticated as
 * the image user with the cluster key succeeds within the timeout. Never throws: every failure is
 * a result whose `kind` tells the caller whether waiting can help.
 */
export async function probeNode(target: ProbeTarget): Promise<ProbeResult> {
  const startedAt = performance.now();
  const elapsed = () => Math.round(performance.now() - startedAt);
  try {
    const connection = await openPinnedConnection(target);
    connection.close();
    return { ok: true, hostKey: connection.hostKey, elapsedMs: elapsed() };
  } catch (error) {
    if (error instanceof SshConnectionError) {
      const failure: ProbeResult = { ok: false, kind: error.kind, reason: error.message, elapsedMs: elapsed() };
      return error.hostKey ? { ...failure, hostKey: error.hostKey } : failure;
    }
    return { ok: false, kind: 'error', reason: `SSH probe failed unexpectedly: ${(error as Error).message}`, elapsedMs: elapsed() };
  }
}
