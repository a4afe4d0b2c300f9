// One seeded generator drives every random choice (boot delays, fault rates) so a run with the
// same --seed and the same sequence of calls behaves the same.

export interface RandomSource {
  /** Uniform in [0, 1). */
  next(): number;
  /** Standard normal (mean 0, deviation 1). */
  nextGaussian(): number;
}

/** mulberry32: tiny, fast and well distributed enough for simulation timing. */
export function createSeededRandom(seed: number): RandomSource {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    nextGaussian() {
      // Box-Muller; 1 - next() keeps the logarithm away from zero.
      const u = 1 - next();
      const v = next();
      return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    },
  };
}
