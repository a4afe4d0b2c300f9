import { loadRuntimeSettings } from '@elastiq/config';
import { ConfigurationError } from '@elastiq/core';
import { ALL_QUEUE_KINDS } from '@elastiq/queue';
import { DEFAULT_FLEET_TUNING } from '../src/fleet-tuning';
import { workerProcessOptions } from '../src/worker-process-options';

/** What elastiq-worker's main does with its environment. */
const optionsFor = (env: Record<string, string>) => workerProcessOptions(loadRuntimeSettings(env).worker);

describe('worker process options (from the runtime settings)', () => {
  it('serves the job kinds named, caps kinds across all workers, and takes lock and timing knobs', () => {
    const options = optionsFor({
      ELASTIQ_WORKER_QUEUES: 'nodeStart, nodeProbe',
      ELASTIQ_FLEET_GLOBAL_CONCURRENCY: 'nodeProbe=200,clusterSetup=1',
      ELASTIQ_WORKER_LOCK_MS: '5000',
      ELASTIQ_FLEET_SWEEP_INTERVAL_MS: '1000',
    });
    expect(options).toEqual({
      kinds: ['nodeStart', 'nodeProbe'],
      globalConcurrency: { nodeProbe: 200, clusterSetup: 1 },
      lockDurationMs: 5000,
      stalledIntervalMs: 30_000,
      tuning: { ...DEFAULT_FLEET_TUNING, sweepIntervalMs: 1000 },
    });
  });

  it('names the variable and the allowed values when a kind is unknown', () => {
    expect(() => optionsFor({ ELASTIQ_WORKER_QUEUES: 'nodeStart,ansible' })).toThrow(ConfigurationError);
    expect(() => optionsFor({ ELASTIQ_WORKER_QUEUES: 'nodeStart,ansible' })).toThrow(/ELASTIQ_WORKER_QUEUES: `ansible` is not a job kind: use nodeStart, nodeProbe/);
    expect(() => optionsFor({ ELASTIQ_FLEET_GLOBAL_CONCURRENCY: 'probes=10' })).toThrow(/ELASTIQ_FLEET_GLOBAL_CONCURRENCY: `probes` is not a job kind/);
  });

  it('serves every kind with the default timings when nothing is set', () => {
    expect(optionsFor({})).toEqual({ kinds: ALL_QUEUE_KINDS, globalConcurrency: {}, lockDurationMs: 30_000, stalledIntervalMs: 30_000, tuning: DEFAULT_FLEET_TUNING });
    expect(DEFAULT_FLEET_TUNING).toMatchObject({ launchCoalesceMs: 40, probeFirstDelayMs: 500, probeIntervalMs: 500, probeBackoffAfterMs: 30_000, probeMaxDelayMs: 5000, sweepCount: 2 });
  });
});
