import { createInterface } from 'node:readline/promises';
import { UsageError } from './errors';

/** Exit status when the user answers no (ElastiCluster: EX_TEMPFAIL, "Aborting upon user request."). */
export const EXIT_DECLINED = 75;

/**
 * Asks a y/N question on the terminal. Without a terminal there is nobody to ask: refuse and
 * name the flag, rather than hang or assume yes.
 */
export async function confirm(question: string, flag: string): Promise<boolean> {
  if (!process.stdin.isTTY) throw new UsageError(`${question} needs confirmation, but there is no terminal to ask on`, `pass ${flag} to confirm`);
  const prompt = createInterface({ input: process.stdin, output: process.stderr });
  // Ctrl+C at the prompt is a "no" (readline would otherwise just pause and let the process end).
  const cancel = new AbortController();
  prompt.on('SIGINT', () => cancel.abort());
  try {
    const answer = await prompt.question(`${question} [y/N] `, { signal: cancel.signal });
    return /^y(es)?$/i.test(answer.trim());
  } catch (error) {
    if (cancel.signal.aborted) {
      process.stderr.write('\n');
      return false;
    }
    throw error;
  } finally {
    prompt.close();
  }
}
