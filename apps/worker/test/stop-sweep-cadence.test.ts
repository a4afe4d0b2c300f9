import { nextSweepDelayMs } from '../src/processors/cluster-stop';

describe('when a stop looks at the cloud again', () => {
  it('asks soon after its terminate call, then less and less often, never less often than the sweep interval', () => {
    const delays = Array.from({ length: 8 }, (_, sweep) => nextSweepDelayMs(5000, sweep, 0, null));
    expect(delays).toEqual([1000, 2000, 4000, 5000, 5000, 5000, 5000, 5000]);
  });

  it('waits a whole interval while a launch of the start is in flight or the cloud failed', () => {
    expect(nextSweepDelayMs(5000, 0, 3, null)).toBe(5000);
    expect(nextSweepDelayMs(5000, 0, 0, 'RequestLimitExceeded')).toBe(5000);
  });

  it('keeps a shortened interval (tests, a fast cloud) as it is', () => {
    expect(nextSweepDelayMs(200, 0, 0, null)).toBe(200);
    expect(nextSweepDelayMs(200, 5, 0, null)).toBe(200);
  });

  it('gives up no sooner than 8 s before a stop with fixed intervals would', () => {
    const budget = (sweeps: number) => Array.from({ length: sweeps }, (_, sweep) => nextSweepDelayMs(5000, sweep, 0, null)).reduce((a, b) => a + b, 0);
    expect(60 * 5000 - budget(60)).toBeLessThanOrEqual(8000);
  });
});
