import type { CloudInstance, InstanceState } from '@elastiq/cloud';
import { shapeOf, snapshotMaxAgeMs } from '../src/shared-describe';
import { nextPendingLookMs, nextProbeDelayMs, type ProbeCadence } from '../src/probe-cadence';

const cadence: ProbeCadence = { probeIntervalMs: 500, probeBackoffAfterMs: 30_000, probeMaxDelayMs: 5000, describeMaxAgeMs: 1000 };
/** Every draw of a jittered delay, enough of them to see its whole range. */
const draws = (delay: () => number) => Array.from({ length: 500 }, delay);

describe('probe cadence', () => {
  it('probes a running node every interval (±10 %) during its first 30 s of running', () => {
    for (const runningForMs of [0, 5_000, 29_999]) {
      for (const ms of draws(() => nextProbeDelayMs(cadence, runningForMs))) {
        expect(ms).toBeGreaterThanOrEqual(450);
        expect(ms).toBeLessThanOrEqual(550);
      }
    }
  });

  it('backs off a node that stays unreachable past the threshold, up to the max and no further', () => {
    const typical = (runningForMs: number) => nextProbeDelayMs(cadence, runningForMs);
    expect(Math.min(...draws(() => typical(38_000)))).toBeGreaterThan(2_500 * 0.9 - 1);
    expect(Math.max(...draws(() => typical(38_000)))).toBeLessThan(2_500 * 1.1 + 1);
    for (const ms of draws(() => typical(10 * 60_000))) {
      expect(ms).toBeGreaterThanOrEqual(4500);
      expect(ms).toBeLessThanOrEqual(5500);
    }
  });

  it('spreads probes of many nodes instead of sending them in lockstep', () => {
    expect(new Set(draws(() => nextProbeDelayMs(cadence, 0))).size).toBeGreaterThan(20);
  });

  it('looks at a pending node again just after the shared snapshot it read goes stale', () => {
    // Read at 300 ms of age: stale in 700 ms, plus 100 ms for the refreshing worker, ±10 %.
    for (const ms of draws(() => nextPendingLookMs(cadence, 300))) {
      expect(ms).toBeGreaterThanOrEqual(720);
      expect(ms).toBeLessThanOrEqual(880);
    }
    // A stale snapshot (another worker is refreshing it): look again almost at once.
    for (const ms of draws(() => nextPendingLookMs(cadence, 5000))) expect(ms).toBeLessThanOrEqual(110);
  });
});

describe('how long a shared DescribeInstances snapshot serves', () => {
  const booting = (count: number) => ({ count, settled: false });
  it('is the max age up to two pages (2,000 instances), then grows with the pages', () => {
    expect([0, 1, 1000, 2000].map((count) => snapshotMaxAgeMs(1000, booting(count)))).toEqual([1000, 1000, 1000, 1000]);
    expect([2001, 4000, 10_000].map((count) => snapshotMaxAgeMs(1000, booting(count)))).toEqual([1500, 2000, 5000]);
  });

  it('serves five max ages once every instance runs or is terminated, and no less when it is larger', () => {
    expect([1, 1000, 10_000, 20_000].map((count) => snapshotMaxAgeMs(1000, { count, settled: true }))).toEqual([5000, 5000, 5000, 10_000]);
  });

  it('is settled only when it lists something and nothing in it is pending, stopped or stopping', () => {
    const listing = (...states: InstanceState[]) => states.map((state, index) => instance(`i-${index}`, state));
    expect(shapeOf(listing('running', 'running', 'terminated'))).toEqual({ count: 3, settled: true });
    expect(shapeOf([])).toEqual({ count: 0, settled: false });
    for (const state of ['pending', 'stopped', 'stopping', 'shutting-down'] as const) {
      expect(shapeOf(listing('running', state)).settled).toBe(false);
    }
  });
});

function instance(instanceId: string, state: InstanceState): CloudInstance {
  return { instanceId, state, launchIndex: 0, privateIp: null, publicIp: null, tags: {}, clientToken: null, launchTime: null, market: 'on-demand', stateReason: null };
}
