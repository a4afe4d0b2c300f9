import { EXIT_CODES, ElastiqError } from '@elastiq/core';
import type { HostKey } from './contracts';

export type SshFailureKind = 'refused' | 'timeout' | 'auth' | 'host-key-mismatch' | 'error';

/**
 * Why an SSH connection could not be used. `kind` is the control signal: refused and timeout mean
 * "not up yet, try later"; auth and host-key-mismatch mean "this node will not come up by waiting".
 * The message never contains key material, only paths and fingerprints.
 */
export class SshConnectionError extends ElastiqError {
  readonly kind: SshFailureKind;
  /** The host key the server presented, when the handshake got that far. */
  readonly hostKey: HostKey | undefined;

  constructor(kind: SshFailureKind, message: string, hostKey?: HostKey) {
    super(message, { exitCode: kind === 'host-key-mismatch' ? EXIT_CODES.protocol : EXIT_CODES.unavailable });
    this.kind = kind;
    this.hostKey = hostKey;
  }
}
