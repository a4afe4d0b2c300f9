import { EXIT_CODES, ElastiqError } from '@elastiq/core';

/** A stored cluster record that cannot be read back (not YAML/JSON, empty, or not a cluster). */
export class CorruptClusterRecord extends ElastiqError {
  readonly clusterName: string;
  /** A file path or a Redis key. */
  readonly location: string;

  constructor(clusterName: string, location: string, problem: string, options: { hint?: string; cause?: unknown } = {}) {
    super(`the record of cluster \`${clusterName}\` at ${location} ${problem}`, {
      hint: options.hint ?? 'fix or remove the record; other clusters are not affected',
      exitCode: EXIT_CODES.dataError,
      cause: options.cause,
    });
    this.clusterName = clusterName;
    this.location = location;
  }
}
