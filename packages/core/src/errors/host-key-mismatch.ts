import { EXIT_CODES, ElastiqError } from './elastiq-error';

/**
 * A node presented a host key other than the one pinned at its first successful probe: either
 * the address now belongs to another machine or someone is in the middle. Never retried.
 */
export class HostKeyMismatch extends ElastiqError {
  readonly nodeName: string;
  readonly expectedFingerprint: string;
  readonly presentedFingerprint: string;

  constructor(nodeName: string, expectedFingerprint: string, presentedFingerprint: string) {
    super(
      `host key of node \`${nodeName}\` changed: expected ${expectedFingerprint}, presented ${presentedFingerprint}`,
      {
        hint: 'if the node was replaced on purpose, remove it and add it again; otherwise do not connect',
        exitCode: EXIT_CODES.protocol,
      },
    );
    this.nodeName = nodeName;
    this.expectedFingerprint = expectedFingerprint;
    this.presentedFingerprint = presentedFingerprint;
  }
}
