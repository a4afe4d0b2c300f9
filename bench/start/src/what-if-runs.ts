import type { SimRuntime } from './cloud-sim-process';
import type { ElastiqRunSpec } from './elastiq-run';

// Runs that change one thing to test an explanation of a missed target (`--only what-if`).
// Not part of the default bench: they answer "why", the default runs answer "how fast".

export interface WhatIfRun extends Omit<ElastiqRunSpec, 'workers' | 'runtime'> {
  runtime?: SimRuntime;
  /** Write V8 CPU and sampling-heap profiles of each worker to <out>/profiles/<label>/. */
  profile?: boolean;
}

export const WHAT_IF_RUNS: WhatIfRun[] = [
  {
    // Is the N ≤ 100 decision delay the probe back-off (×1.5 per round up to 10 s)?
    label: 'what-if N=100, probe back-off capped at 1 s',
    nodes: 100,
    workerEnv: { ELASTIQ_FLEET_PROBE_MAX_DELAY_MS: '1000' },
  },
  {
    // N=1000 with cloud-sim's in-process SSH servers: is the sshd runtime's start-up latency
    // part of the miss? Workers profiled: where do the CPU and the memory go?
    label: 'what-if N=1000, light runtime, profiled',
    nodes: 1000,
    runtime: 'light',
    profile: true,
  },
];
