import { createSeededRandom } from '@elastiq/cloud-sim';

// The run's seeded source (cloud-sim's own generator): the same seed gives the same kill
// moments and victims, so a failing row can be re-run exactly with --seed.

export interface Random {
  /** [0, 1) */
  next(): number;
  /** An integer in [min, max]. */
  int(min: number, max: number): number;
}

export function seededRandom(seed: number): Random {
  const source = createSeededRandom(seed);
  return { next: () => source.next(), int: (min, max) => min + Math.floor(source.next() * (max - min + 1)) };
}
