import { EXIT_CODES, ElastiqError } from './elastiq-error';

/** sysexits.h EX_USAGE: what was asked for cannot be done to this cluster as it is. */
const EX_USAGE = 64;

/** A resize or node removal that the cluster's nodes do not allow (too many to remove, min_nodes, ssh_to). */
export class ResizeRefused extends ElastiqError {
  constructor(message: string, options: { hint?: string } = {}) {
    super(message, { hint: options.hint, exitCode: EX_USAGE });
  }
}

/** The cluster is in a status in which it cannot be changed now (starting, stopping, resizing...). */
export class ClusterBusy extends ElastiqError {
  readonly clusterName: string;
  readonly status: string;

  constructor(clusterName: string, status: string, action: string, options: { hint?: string; message?: string } = {}) {
    super(options.message ?? `cluster \`${clusterName}\` is ${status}: it cannot ${action} now`, {
      hint: options.hint ?? 'wait until it is ready, degraded or setup-failed (`elastiq list` shows its status)',
      exitCode: EXIT_CODES.tempFail,
    });
    this.clusterName = clusterName;
    this.status = status;
  }
}
