import { ConfigurationError } from '@elastiq/core';
import { workerProcessOptions } from '../src/worker-process-options';

describe('worker process options (environment)', () => {
  it('reads which job kinds this machine serves, global concurrency and timing knobs', () => {
    const options = workerProcessOptions({
      ELASTIQ_WORKER_QUEUES: 'nodeStart, nodeProbe',
      ELASTIQ_FLEET_GLOBAL_CONCURRENCY: 'nodeProbe=200,clusterSetup=1',
      ELASTIQ_WORKER_LOCK_MS: '5000',
      ELASTIQ_FLEET_SWEEP_INTERVAL_MS: '1000',
    });
    expect(options).toEqual({
      kinds: ['nodeStart', 'nodeProbe'],
      globalConcurrency: { nodeProbe: 200, clusterSetup: 1 },
      lockDurationMs: 5000,
      tuning: { sweepIntervalMs: 1000 },
    });
  });

  it('names the variable and the allowed values when a kind is unknown', () => {
    expect(() => workerProcessOptions({ ELASTIQ_WORKER_QUEUES: 'nodeStart,ansible' })).toThrow(ConfigurationError);
    expect(() => workerProcessOptions({ ELASTIQ_WORKER_QUEUES: 'nodeStart,ansible' })).toThrow(/ELASTIQ_WORKER_QUEUES.*nodeStart, nodeProbe/);
    expect(() => workerProcessOptions({ ELASTIQ_FLEET_GLOBAL_CONCURRENCY: 'nodeProbe=0' })).toThrow(/ELASTIQ_FLEET_GLOBAL_CONCURRENCY: `nodeProbe=0` must be KIND=N/);
  });

  it('leaves everything at its default when nothing is set', () => {
    expect(workerProcessOptions({})).toEqual({ tuning: {} });
  });
});
