import { EXIT_CODES, ElastiqError } from './elastiq-error';

/**
 * A job's data does not match its schema (a producer of another version, or a hand-made job).
 * Retrying cannot help: workers turn it into BullMQ's UnrecoverableError.
 */
export class InvalidJobPayload extends ElastiqError {
  readonly jobName: string;
  readonly jobId: string | undefined;
  /** One line per invalid field: "path.to.field: what is wrong". */
  readonly issues: string[];

  constructor(jobName: string, issues: string[], options: { jobId?: string; cause?: unknown } = {}) {
    const where = options.jobId === undefined ? `job \`${jobName}\`` : `job \`${jobName}\` (${options.jobId})`;
    super(`${where} has an invalid payload: ${issues.join('; ')}`, {
      hint: 'the producer and the worker disagree on the payload version; upgrade them together',
      exitCode: EXIT_CODES.dataError,
      cause: options.cause,
    });
    this.jobName = jobName;
    this.jobId = options.jobId;
    this.issues = issues;
  }
}
