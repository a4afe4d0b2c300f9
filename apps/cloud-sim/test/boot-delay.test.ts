import { parseBootDelaySpec } from '../src';
import { sampleBootTimeline } from '../src/sim/boot-delay';
import { createSeededRandom } from '../src/sim/seeded-random';

describe('boot delay distributions', () => {
  it('parses fixed, uniform and lognormal specs with units', () => {
    expect(parseBootDelaySpec('fixed:2s')).toEqual({ kind: 'fixed', ms: 2000 });
    expect(parseBootDelaySpec('uniform:500ms..1.5s')).toEqual({ kind: 'uniform', minMs: 500, maxMs: 1500 });
    expect(parseBootDelaySpec('lognormal:20s,0.4')).toEqual({ kind: 'lognormal', medianMs: 20000, sigma: 0.4 });
  });

  it('explains what is wrong with a bad spec and what the syntax is', () => {
    expect(() => parseBootDelaySpec('uniform:3s..1s')).toThrow(/MIN is larger than MAX.*expected fixed:DURATION/);
    expect(() => parseBootDelaySpec('normal:3s')).toThrow(/unknown distribution "normal"/);
    expect(() => parseBootDelaySpec('fixed:soon')).toThrow(/"soon" is not a duration/);
  });

  it('draws the same timelines for the same seed, and different ones for another seed', () => {
    const spec = parseBootDelaySpec('lognormal:20s,0.5');
    const draw = (seed: number) => {
      const random = createSeededRandom(seed);
      return Array.from({ length: 5 }, () => sampleBootTimeline(spec, random));
    };
    expect(draw(42)).toEqual(draw(42));
    expect(draw(42)).not.toEqual(draw(43));
  });

  it('splits every boot into pending → running (35–65 %) and running → SSH-ready', () => {
    const random = createSeededRandom(1);
    const spec = parseBootDelaySpec('uniform:10s..40s');
    for (let boot = 0; boot < 1000; boot++) {
      const { runningAfterMs, sshReadyAfterMs } = sampleBootTimeline(spec, random);
      expect(sshReadyAfterMs).toBeGreaterThanOrEqual(10_000);
      expect(sshReadyAfterMs).toBeLessThanOrEqual(40_000);
      expect(runningAfterMs / sshReadyAfterMs).toBeGreaterThanOrEqual(0.349);
      expect(runningAfterMs / sshReadyAfterMs).toBeLessThanOrEqual(0.651);
    }
  });

  it('centres lognormal draws on the median', () => {
    const random = createSeededRandom(9);
    const spec = parseBootDelaySpec('lognormal:20s,0.4');
    const draws = Array.from({ length: 2001 }, () => sampleBootTimeline(spec, random).sshReadyAfterMs).sort((a, b) => a - b);
    expect(draws[1000]).toBeGreaterThan(18_000);
    expect(draws[1000]).toBeLessThan(22_000);
  });
});
