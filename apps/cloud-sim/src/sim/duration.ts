// Durations in flags and specs: "250ms", "2s", "1.5m" or a bare number of milliseconds.

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000 };

/** Returns milliseconds, or undefined when the text is not a duration. */
export function parseDuration(text: string): number | undefined {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m)?\s*$/.exec(text);
  if (!match) return undefined;
  return Math.round(Number(match[1]) * UNIT_MS[match[2] ?? 'ms']);
}
