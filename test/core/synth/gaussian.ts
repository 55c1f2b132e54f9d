/** Standard normal test data from a seeded stream (Box–Muller; never used for privacy noise). */
import type { RandomSource } from '@privet/core/dp/random';

/** One standard normal draw from `rng`. */
export function gaussian(rng: RandomSource): number {
  const u = (rng.nextUint32() + 1) / 4294967297;
  const v = rng.nextUint32() / 4294967296;
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}
