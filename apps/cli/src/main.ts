#!/usr/bin/env node
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Terminal } from './command-context';
import { describeFailure } from './errors';
import { buildProgram, type ProgramResult } from './program';

const terminal: Terminal = {
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
  interactive: process.stderr.isTTY === true,
};

async function main(): Promise<void> {
  const { version } = JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8')) as { version: string };
  const result: ProgramResult = { exitCode: 0 };
  const program = buildProgram(terminal, result, version);
  try {
    await program.parseAsync(process.argv);
  } catch (error) {
    // commander's own errors (unknown option, missing argument, --help) were already printed by it.
    const failure = describeFailure(error, process.argv.includes('-v') || process.argv.includes('--verbose'));
    if (failure.text) terminal.err(failure.text);
    result.exitCode = failure.exitCode;
  }
  // exitCode instead of exit(): pending stdout writes to a pipe are flushed first.
  process.exitCode = result.exitCode;
}

void main();
