import { EXIT_CODES, ElastiqError } from './elastiq-error';

/**
 * Optimistic concurrency lost: someone saved the cluster record since we read it. Retrying with a
 * fresh read is safe, hence the temp-fail exit code.
 */
export class ConcurrentModification extends ElastiqError {
  readonly clusterName: string;
  /** null = the record was expected not to exist. */
  readonly expectedRevision: number | null;
  /** null = the record does not exist (any more). */
  readonly actualRevision: number | null;

  constructor(clusterName: string, expectedRevision: number | null, actualRevision: number | null) {
    super(
      `cluster \`${clusterName}\` was modified concurrently: expected revision ${describe(expectedRevision)}, found ${describe(actualRevision)}`,
      { hint: 'another command or worker changed it meanwhile; run the command again', exitCode: EXIT_CODES.tempFail },
    );
    this.clusterName = clusterName;
    this.expectedRevision = expectedRevision;
    this.actualRevision = actualRevision;
  }
}

function describe(revision: number | null): string {
  return revision === null ? 'none (no record)' : String(revision);
}
