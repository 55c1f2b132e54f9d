/**
 * Sampling helpers over faker's seeded Mersenne Twister, so that one seed fixes every value of
 * the demo dataset. Why not a CSPRNG: this is *demo data generation*, which must be reproducible;
 * it is never used for privacy (noise, keys, tokens) — that code takes crypto.getRandomValues.
 */
import { en, en_US, Faker, generateMersenne53Randomizer } from '@faker-js/faker';

/** A seeded source of demo randomness: faker for names and streets plus numeric samplers. */
export interface DemoRandom {
  readonly faker: Faker;
  /** Uniform in [0, 1). */
  uniform(): number;
  /** Uniform integer in [lo, hi] (inclusive). */
  int(lo: number, hi: number): number;
  /** Standard normal (Box–Muller). */
  normal(): number;
  /** Poisson-distributed count with mean `lambda` (Knuth; fine for the small means used here). */
  poisson(lambda: number): number;
  /** True with probability `p`. */
  chance(p: number): boolean;
}

/** Creates the seeded randomness of one demo generation run (faker and samplers share a stream). */
export function createDemoRandom(seed: number): DemoRandom {
  const randomizer = generateMersenne53Randomizer(seed);
  const faker = new Faker({ locale: [en_US, en], randomizer });
  faker.seed(seed);
  const uniform = () => randomizer.next();
  return {
    faker,
    uniform,
    int: (lo, hi) => lo + Math.floor(uniform() * (hi - lo + 1)),
    normal: () => {
      const u = 1 - uniform(); // (0, 1]: log is finite
      return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * uniform());
    },
    poisson: (lambda) => {
      const limit = Math.exp(-lambda);
      let k = 0;
      let p = uniform();
      while (p > limit && k < 1000) {
        k++;
        p *= uniform();
      }
      return k;
    },
    chance: (p) => uniform() < p,
  };
}

/** A categorical distribution over `items`, sampled by binary search on cumulative weights. */
export class Weighted<T> {
  private readonly cumulative: number[] = [];
  private readonly total: number;

  /** `weights[i]` is the (unnormalized, non-negative) weight of `items[i]`; some must be > 0. */
  constructor(
    private readonly items: readonly T[],
    weights: readonly number[],
  ) {
    let sum = 0;
    for (const w of weights) {
      if (!(w >= 0)) throw new Error('demo data: a sampling weight is negative or not a number');
      sum += w;
      this.cumulative.push(sum);
    }
    if (!(sum > 0) || items.length !== weights.length)
      throw new Error('demo data: a categorical distribution has no positive weight');
    this.total = sum;
  }

  /** Draws one item. */
  sample(random: DemoRandom): T {
    const target = random.uniform() * this.total;
    let lo = 0;
    let hi = this.cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.cumulative[mid]! > target) hi = mid;
      else lo = mid + 1;
    }
    return this.items[lo]!;
  }
}
