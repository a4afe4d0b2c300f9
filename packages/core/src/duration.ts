// Durations as people write them on a command line (`--older-than 10m`): a whole number and one
// unit. Deliberately small: no fractions, no combined units, so `1h30m` is a clear mistake
// rather than a guess.

const UNITS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
const DURATION = /^(\d+)(ms|s|m|h|d)$/;

/** `30s`, `10m`, `2h`, `1d`, `500ms` → milliseconds; null when `text` is not such a duration. */
export function parseDuration(text: string): number | null {
  const match = DURATION.exec(text.trim());
  if (match === null) return null;
  const ms = Number(match[1]) * UNITS[match[2] as keyof typeof UNITS];
  return Number.isSafeInteger(ms) ? ms : null;
}

/** 600000 → `10m`, 90000 → `90s`: the largest unit that divides it. */
export function formatDuration(ms: number): string {
  for (const [unit, size] of [['d', UNITS.d], ['h', UNITS.h], ['m', UNITS.m], ['s', UNITS.s]] as const) {
    if (ms >= size && ms % size === 0) return `${ms / size}${unit}`;
  }
  return `${ms}ms`;
}
