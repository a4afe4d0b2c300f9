// The root of every error elastiq raises on purpose. The CLI prints `toUserLine()` (one line, no
// stack) and exits with `exitCode`; anything that is not an ElastiqError is a bug and shows a stack.

/** Exit codes follow sysexits.h, as ElastiCluster does (66 EX_NOINPUT, 75 EX_TEMPFAIL...). */
export const EXIT_CODES = {
  failure: 1,
  dataError: 65,
  noInput: 66,
  unavailable: 69,
  cantCreate: 73,
  tempFail: 75,
  protocol: 76,
  config: 78,
} as const;

export interface ElastiqErrorOptions {
  /** How the user can fix the problem, e.g. "add `compute_nodes=2` to [cluster/slurm]". */
  hint?: string;
  exitCode?: number;
  cause?: unknown;
}

export class ElastiqError extends Error {
  readonly hint: string | undefined;
  readonly exitCode: number;

  constructor(message: string, options: ElastiqErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    // new.target keeps the subclass name in logs and `instanceof`-free checks (`err.name === 'NodeNotFound'`).
    this.name = new.target.name;
    this.hint = options.hint;
    this.exitCode = options.exitCode ?? EXIT_CODES.failure;
  }

  /** The message and, when known, how to fix it: what the CLI prints. */
  toUserLine(): string {
    return this.hint ? `${this.message} (${this.hint})` : this.message;
  }
}
