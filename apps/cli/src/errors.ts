import { ElastiqError } from '@elastiq/core';
import { CommanderError } from 'commander';

// The one place that decides what a failure looks like to the user: an ElastiqError (a
// configuration mistake, a missing cluster...) is one line and its own exit code; anything else
// is a bug, shown as "internal error" with a hint to re-run with -v for the stack.

/** sysexits.h EX_USAGE: a command line that commander rejected. */
export const EXIT_USAGE = 64;
/** sysexits.h EX_SOFTWARE: a bug in elastiq. */
export const EXIT_INTERNAL = 70;
/** 128 + SIGINT: the user pressed Ctrl+C. */
export const EXIT_INTERRUPTED = 130;

export interface FailureReport {
  /** What goes to stderr, without a trailing newline. */
  text: string;
  exitCode: number;
}

/** A problem the user can fix, raised by the CLI itself (bad argument, missing confirmation...). */
export class UsageError extends ElastiqError {
  constructor(message: string, hint?: string) {
    super(message, { hint, exitCode: EXIT_USAGE });
  }
}

export function describeFailure(error: unknown, verbose: boolean): FailureReport {
  const stack = verbose && error instanceof Error && error.stack ? `\n${error.stack}` : '';
  if (error instanceof ElastiqError) return { text: `error: ${error.toUserLine()}${stack}`, exitCode: error.exitCode };
  if (error instanceof CommanderError) return { text: '', exitCode: error.exitCode === 0 ? 0 : EXIT_USAGE };
  const message = error instanceof Error ? error.message : String(error);
  const hint = verbose ? '' : ' (this is a bug in elastiq; re-run with -v to see the stack trace and report it)';
  return { text: `internal error: ${message}${hint}${stack}`, exitCode: EXIT_INTERNAL };
}
