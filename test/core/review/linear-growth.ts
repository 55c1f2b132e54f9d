/**
 * The linear-growth guard of the review's hostile-input tests: the time of 8× the input against
 * 1×, in process CPU time (other processes' load does not count), the best of 3 warm runs, the
 * least of up to three attempts. Linear work takes about 8× the time and quadratic about 64×; the
 * bound (24×) leaves room for cache effects (a small input fits in cache, a large one does not) and
 * pauses, which pushed linear code past a bound of 10× at 4× the input in wall time under load.
 */
import assert from 'node:assert/strict';

/** How many times the input the guard compares with the given input. */
export const GROWTH_FACTOR = 8;
/** The largest time ratio the guard accepts at GROWTH_FACTOR× the input. */
export const GROWTH_BOUND = 24;

/** Process CPU milliseconds `f` takes: the best of 3 runs after a warm-up run. */
export function cpuMs(f: () => void): number {
  f();
  let best = Infinity;
  for (let k = 0; k < 3; k++) {
    const t0 = process.cpuUsage();
    f();
    const used = process.cpuUsage(t0);
    best = Math.min(best, (used.user + used.system) / 1000);
  }
  return best;
}

/**
 * Asserts that `use(make(GROWTH_FACTOR * n))` takes less than GROWTH_BOUND times `use(make(n))`,
 * the small input's time taken as at least `floorMs` (a tiny time would magnify noise).
 */
export function assertLinear<T>(
  make: (n: number) => T,
  use: (input: T) => void,
  n: number,
  what: string,
  floorMs = 1,
): void {
  const small = make(n);
  const large = make(GROWTH_FACTOR * n);
  const growth = (): number =>
    cpuMs(() => use(large)) /
    Math.max(
      cpuMs(() => use(small)),
      floorMs,
    );
  let g = growth();
  for (let attempt = 1; attempt < 3 && g >= GROWTH_BOUND; attempt++) g = Math.min(g, growth());
  assert.ok(
    g < GROWTH_BOUND,
    `${what}: ${GROWTH_FACTOR}× the input took ${g.toFixed(1)}× the time`,
  );
}
