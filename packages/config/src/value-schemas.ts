import { z } from 'zod';

// zod pieces that convert INI strings the way ElastiCluster's schema library does.

const PYTHON_INT = /^\s*[+-]?\d+(_\d+)*\s*$/;
const TRUE_WORDS = new Set(['true', 'yes', 'on', '1']);
const FALSE_WORDS = new Set(['false', 'no', 'off', '0']);

/** Python int(): surrounding spaces, a sign and `_` digit separators are accepted; `1.0` is not. */
export function parsePythonInt(text: string): number | undefined {
  return PYTHON_INT.test(text) ? Number(text.trim().replace(/_/g, '')) : undefined;
}

export function integerField(minimum: number, meaning: string) {
  const expected = minimum > 0 ? 'a positive integer' : 'an integer >= 0';
  return z.string().transform((text, context) => {
    const value = parsePythonInt(text);
    if (value === undefined || value < minimum) {
      context.addIssue({ code: 'custom', message: `must be ${expected} (${meaning}), got '${text}'` });
      return z.NEVER;
    }
    return value;
  });
}

/** A price may be fractional (`0.08`): ElastiCluster's integer-only rule was a defect (#60). */
export function priceField() {
  return z.string().transform((text, context) => {
    const trimmed = text.trim();
    const value = /^\+?(\d+(\.\d*)?|\.\d+)$/.test(trimmed) ? Number(trimmed) : Number.NaN;
    if (Number.isNaN(value)) {
      context.addIssue({ code: 'custom', message: `must be a spot price in USD per hour such as 0.08 (0 = on-demand), got '${text}'` });
      return z.NEVER;
    }
    return value;
  });
}

export function nonEmptyField(meaning: string) {
  return z.string().refine((text) => text.trim() !== '', { message: `must not be empty (${meaning})` });
}

/** ElastiCluster's boolean: true only for true/yes/on/1, any other word is false. */
export function parseBooleanWord(text: string): boolean {
  return TRUE_WORDS.has(text.trim().toLowerCase());
}

/** A word that is neither a true nor a false spelling: ElastiCluster silently reads it as false. */
export function isUnusualBooleanWord(text: string): boolean {
  const word = text.trim().toLowerCase();
  return !TRUE_WORDS.has(word) && !FALSE_WORDS.has(word);
}

export function booleanField() {
  return z.string().transform(parseBooleanWord);
}

/** Comma-separated list: items trimmed, empty items skipped. */
export function commaList(text: string | undefined): string[] {
  return (text ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
}
