import { EXIT_CODES, ElastiqError } from './elastiq-error';

export interface CloudErrorOptions {
  /** Whether trying the same call later can succeed (throttling, capacity, 5xx). */
  retryable: boolean;
  hint?: string;
  cause?: unknown;
}

/** A failed cloud API call, with the cloud's error code (e.g. `InstanceLimitExceeded`). */
export class CloudError extends ElastiqError {
  readonly code: string;
  readonly retryable: boolean;

  constructor(code: string, message: string, options: CloudErrorOptions) {
    super(`${code}: ${message}`, { hint: options.hint, cause: options.cause, exitCode: EXIT_CODES.unavailable });
    this.code = code;
    this.retryable = options.retryable;
  }
}
