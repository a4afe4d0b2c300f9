import { ConfigurationError, loadEnvironmentCredentials, loadRuntimeSettings } from '../src';

describe('loadRuntimeSettings', () => {
  it('gives the documented defaults for an empty environment', () => {
    expect(loadRuntimeSettings({})).toEqual({
      redis: { url: 'redis://127.0.0.1:6379', tls: null, topology: { mode: 'standalone' } },
      queuePrefix: 'elastiq',
      workerConcurrency: 50,
      ec2RunInstancesPerSecond: 2,
      ec2DescribePerSecond: 20,
      ec2TerminatePerSecond: 5,
      ec2RateLimitScale: 1,
      dashboard: { host: '127.0.0.1', port: 3000, readOnly: false },
      logLevel: 'info',
      worker: {
        name: null,
        queues: null,
        globalConcurrency: {},
        lockDurationMs: 30_000,
        stalledIntervalMs: 30_000,
        fleet: { launchCoalesceMs: 40, describeMaxAgeMs: 1000, probeFirstDelayMs: 500, probeIntervalMs: 500, probeBackoffAfterMs: 30_000, probeMaxDelayMs: 5000, capacityRetryMs: 5000, sweepIntervalMs: 5000, unavailableOfferingTtlMs: 180_000 },
        gc: { intervalMs: 300_000, olderThanMs: 600_000 },
      },
    });
  });

  it('reads every ELASTIQ_* variable', () => {
    const settings = loadRuntimeSettings({
      ELASTIQ_REDIS_URL: 'redis://127.0.0.1:7001/2',
      ELASTIQ_QUEUE_PREFIX: 'test-run_1',
      ELASTIQ_WORKER_CONCURRENCY: '8',
      ELASTIQ_EC2_RUN_INSTANCES_PER_SECOND: '0.5',
      ELASTIQ_EC2_DESCRIBE_PER_SECOND: '100',
      ELASTIQ_EC2_TERMINATE_PER_SECOND: '10',
      ELASTIQ_EC2_RATE_LIMIT_SCALE: '10',
      ELASTIQ_DASHBOARD_HOST: '127.0.0.2',
      ELASTIQ_DASHBOARD_PORT: '8080',
      ELASTIQ_DASHBOARD_USERNAME: 'admin',
      ELASTIQ_DASHBOARD_PASSWORD: 's3cret',
      ELASTIQ_DASHBOARD_READ_ONLY: 'true',
      ELASTIQ_LOG_LEVEL: 'debug',
    });
    expect(settings).toEqual({
      redis: { url: 'redis://127.0.0.1:7001/2', tls: null, topology: { mode: 'standalone' } },
      queuePrefix: 'test-run_1',
      workerConcurrency: 8,
      ec2RunInstancesPerSecond: 0.5,
      ec2DescribePerSecond: 100,
      ec2TerminatePerSecond: 10,
      ec2RateLimitScale: 10,
      dashboard: { host: '127.0.0.2', port: 8080, username: 'admin', password: 's3cret', readOnly: true },
      logLevel: 'debug',
      worker: expect.any(Object),
    });
  });

  it("reads the worker's own variables: name, queues served, global concurrency, lock and timing knobs", () => {
    const settings = loadRuntimeSettings({
      ELASTIQ_WORKER_NAME: 'rack2-worker@build-7',
      ELASTIQ_WORKER_QUEUES: 'nodeStart, nodeProbe',
      ELASTIQ_FLEET_GLOBAL_CONCURRENCY: 'nodeProbe=200,clusterSetup=1',
      ELASTIQ_WORKER_LOCK_MS: '5000',
      ELASTIQ_WORKER_STALLED_INTERVAL_MS: '2000',
      ELASTIQ_FLEET_LAUNCH_COALESCE_MS: '10',
      ELASTIQ_FLEET_DESCRIBE_MAX_AGE_MS: '300',
      ELASTIQ_FLEET_PROBE_FIRST_DELAY_MS: '200',
      ELASTIQ_FLEET_PROBE_INTERVAL_MS: '250',
      ELASTIQ_FLEET_PROBE_BACKOFF_AFTER_MS: '3000',
      ELASTIQ_FLEET_PROBE_MAX_DELAY_MS: '1000',
      ELASTIQ_FLEET_CAPACITY_RETRY_MS: '1500',
      ELASTIQ_FLEET_SWEEP_INTERVAL_MS: '1000',
      ELASTIQ_FLEET_UNAVAILABLE_OFFERING_TTL_MS: '60000',
    });
    expect(settings.worker).toEqual({
      name: 'rack2-worker@build-7',
      queues: ['nodeStart', 'nodeProbe'],
      globalConcurrency: { nodeProbe: 200, clusterSetup: 1 },
      lockDurationMs: 5000,
      stalledIntervalMs: 2000,
      fleet: { launchCoalesceMs: 10, describeMaxAgeMs: 300, probeFirstDelayMs: 200, probeIntervalMs: 250, probeBackoffAfterMs: 3000, probeMaxDelayMs: 1000, capacityRetryMs: 1500, sweepIntervalMs: 1000, unavailableOfferingTtlMs: 60_000 },
      gc: { intervalMs: 300_000, olderThanMs: 600_000 },
    });
  });

  it('reads the schedule and grace period of the garbage collection; an interval of 0 turns the schedule off', () => {
    expect(loadRuntimeSettings({ ELASTIQ_GC_INTERVAL_MS: '60000', ELASTIQ_GC_OLDER_THAN_MS: '120000' }).worker.gc).toEqual({ intervalMs: 60_000, olderThanMs: 120_000 });
    expect(loadRuntimeSettings({ ELASTIQ_GC_INTERVAL_MS: '0' }).worker.gc.intervalMs).toBe(0);
    expect(() => loadRuntimeSettings({ ELASTIQ_GC_INTERVAL_MS: '5m' })).toThrow("ELASTIQ_GC_INTERVAL_MS: must be a whole number of milliseconds (0 or more), got '5m'");
  });

  it("names the worker variable of a bad value and says what it must be", () => {
    expect(() => loadRuntimeSettings({ ELASTIQ_FLEET_GLOBAL_CONCURRENCY: 'nodeProbe=0' })).toThrow(/^ELASTIQ_FLEET_GLOBAL_CONCURRENCY: `nodeProbe=0` must be KIND=N with N ≥ 1/);
    expect(() => loadRuntimeSettings({ ELASTIQ_WORKER_QUEUES: 'node-start' })).toThrow(/^ELASTIQ_WORKER_QUEUES: must be a comma-separated list of job kinds, got 'node-start'/);
    expect(() => loadRuntimeSettings({ ELASTIQ_WORKER_NAME: 'two words' })).toThrow("ELASTIQ_WORKER_NAME: must be 1-100 letters, digits and _ . : @ -, got 'two words'");
    expect(() => loadRuntimeSettings({ ELASTIQ_WORKER_LOCK_MS: '2.5s' })).toThrow("ELASTIQ_WORKER_LOCK_MS: must be a whole number of milliseconds, got '2.5s'");
    expect(() => loadRuntimeSettings({ ELASTIQ_FLEET_SWEEP_INTERVAL_MS: '0' })).toThrow(/^ELASTIQ_FLEET_SWEEP_INTERVAL_MS: must be a whole number/);
  });

  it('gives cloud keys from the environment only when both halves are set, apart from the settings', () => {
    expect(loadEnvironmentCredentials({ AWS_ACCESS_KEY_ID: 'AKID', AWS_SECRET_ACCESS_KEY: 'secret' })).toEqual({ accessKeyId: 'AKID', secretAccessKey: 'secret' });
    expect(loadEnvironmentCredentials({ EC2_ACCESS_KEY: 'AKID', EC2_SECRET_KEY: 'secret' })).toEqual({ accessKeyId: 'AKID', secretAccessKey: 'secret' });
    expect(loadEnvironmentCredentials({ AWS_ACCESS_KEY_ID: 'AKID' })).toBeNull();
    expect(JSON.stringify(loadRuntimeSettings({ AWS_SECRET_ACCESS_KEY: 'secret' }))).not.toContain('secret');
  });

  it('names the variable of a bad value', () => {
    expect(() => loadRuntimeSettings({ ELASTIQ_WORKER_CONCURRENCY: 'many' })).toThrow(ConfigurationError);
    expect(() => loadRuntimeSettings({ ELASTIQ_WORKER_CONCURRENCY: 'many' })).toThrow("ELASTIQ_WORKER_CONCURRENCY: must be a positive integer, got 'many'");
    expect(() => loadRuntimeSettings({ ELASTIQ_REDIS_URL: 'http://127.0.0.1' })).toThrow(/^ELASTIQ_REDIS_URL: must be a redis:\/\/ or rediss:\/\/ URL/);
    expect(() => loadRuntimeSettings({ ELASTIQ_DASHBOARD_PORT: '70000' })).toThrow("ELASTIQ_DASHBOARD_PORT: must be a TCP port (1-65535), got '70000'");
    expect(() => loadRuntimeSettings({ ELASTIQ_LOG_LEVEL: 'loud' })).toThrow(/^ELASTIQ_LOG_LEVEL: must be one of fatal/);
  });

  it('takes the dashboard password from a file path, but not from both a file and the variable', () => {
    const settings = loadRuntimeSettings({ ELASTIQ_DASHBOARD_USERNAME: 'admin', ELASTIQ_DASHBOARD_PASSWORD_FILE: '/run/secrets/dashboard' });
    expect(settings.dashboard).toEqual({ host: '127.0.0.1', port: 3000, username: 'admin', passwordFile: '/run/secrets/dashboard', readOnly: false });
    expect(() => loadRuntimeSettings({ ELASTIQ_DASHBOARD_PASSWORD: 's3cret', ELASTIQ_DASHBOARD_PASSWORD_FILE: '/run/secrets/dashboard' })).toThrow(
      'ELASTIQ_DASHBOARD_PASSWORD_FILE: cannot be used together with ELASTIQ_DASHBOARD_PASSWORD: unset one of them',
    );
  });

  it('treats an empty variable as unset', () => {
    expect(loadRuntimeSettings({ ELASTIQ_LOG_LEVEL: '' }).logLevel).toBe('info');
  });
});
