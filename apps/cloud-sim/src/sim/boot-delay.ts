import { parseDuration } from './duration';
import type { RandomSource } from './seeded-random';

// How long an instance takes from launch to answering SSH. Real EC2 Linux instances reach
// `running` in 10–30 s and accept SSH 20–40 s after launch, so a boot is split in two: the
// pending → running part and the running → sshd-ready part.

export type BootDelaySpec =
  | { kind: 'fixed'; ms: number }
  | { kind: 'uniform'; minMs: number; maxMs: number }
  | { kind: 'lognormal'; medianMs: number; sigma: number };

export interface BootTimeline {
  /** Milliseconds after launch (or start) at which the instance is `running`. */
  runningAfterMs: number;
  /** Milliseconds after launch (or start) at which its SSH server is started. */
  sshReadyAfterMs: number;
}

export const BOOT_DELAY_SYNTAX =
  'fixed:DURATION | uniform:MIN..MAX | lognormal:MEDIAN,SIGMA (durations like 800ms or 2s, e.g. "uniform:1s..3s")';

/** Parses "fixed:2s", "uniform:1s..3s", "lognormal:20s,0.4"; the error says what the syntax is. */
export function parseBootDelaySpec(text: string): BootDelaySpec {
  const [kind, rest = ''] = text.split(/:(.*)/s, 2);
  const fail = (why: string): never => {
    throw new Error(`invalid boot delay "${text}": ${why}; expected ${BOOT_DELAY_SYNTAX}`);
  };
  const duration = (part: string | undefined): number => {
    const ms = part === undefined ? undefined : parseDuration(part);
    return ms === undefined ? fail(`"${part ?? ''}" is not a duration`) : ms;
  };
  switch (kind.trim()) {
    case 'fixed':
      return { kind: 'fixed', ms: duration(rest) };
    case 'uniform': {
      const [min, max] = rest.split('..');
      const spec = { kind: 'uniform' as const, minMs: duration(min), maxMs: duration(max) };
      return spec.minMs > spec.maxMs ? fail('MIN is larger than MAX') : spec;
    }
    case 'lognormal': {
      const [median, sigmaText] = rest.split(',');
      const sigma = Number(sigmaText);
      if (!Number.isFinite(sigma) || sigma < 0) fail(`SIGMA "${sigmaText ?? ''}" must be a number >= 0`);
      return { kind: 'lognormal', medianMs: duration(median), sigma };
    }
    default:
      return fail(`unknown distribution "${kind}"`);
  }
}

export function describeBootDelay(spec: BootDelaySpec): string {
  switch (spec.kind) {
    case 'fixed':
      return `fixed:${spec.ms}ms`;
    case 'uniform':
      return `uniform:${spec.minMs}ms..${spec.maxMs}ms`;
    case 'lognormal':
      return `lognormal:${spec.medianMs}ms,${spec.sigma}`;
  }
}

export function sampleBootDelayMs(spec: BootDelaySpec, random: RandomSource): number {
  switch (spec.kind) {
    case 'fixed':
      return spec.ms;
    case 'uniform':
      return spec.minMs + random.next() * (spec.maxMs - spec.minMs);
    case 'lognormal':
      return Math.exp(Math.log(Math.max(spec.medianMs, 1)) + spec.sigma * random.nextGaussian());
  }
}

/** Draws a whole boot: the total from the distribution, then the share spent before `running`
 *  (35–65 %, like firmware + kernel before the agent reports, then cloud-init before sshd). */
export function sampleBootTimeline(spec: BootDelaySpec, random: RandomSource): BootTimeline {
  const total = Math.round(sampleBootDelayMs(spec, random));
  const runningShare = 0.35 + random.next() * 0.3;
  return { runningAfterMs: Math.round(total * runningShare), sshReadyAfterMs: total };
}
