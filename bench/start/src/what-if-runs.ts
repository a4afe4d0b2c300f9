import type { ElastiqRunSpec } from './elastiq-run';

// Runs that change one fleet knob to test an explanation of a missed target (`--only what-if`).
// Not part of the default bench: they answer "why", the default runs answer "how fast".

export const WHAT_IF_RUNS: Omit<ElastiqRunSpec, 'workers' | 'runtime'>[] = [
  {
    label: 'what-if N=100, probe back-off capped at 1 s',
    nodes: 100,
    workerEnv: { ELASTIQ_FLEET_PROBE_MAX_DELAY_MS: '1000' },
  },
];
