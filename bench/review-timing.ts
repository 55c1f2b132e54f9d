/** Timing helpers of the review benchmarks: turns, quantiles and the naive baseline pass. */
import type { NotebookOutput } from '@privet/core/review/index';

/** Per-call wall-clock and process CPU times (ms), each sorted ascending. */
export interface Timings {
  wall: number[];
  cpu: number[];
}

/**
 * Times several functions in turns of `block` calls each until each has run `iterations` times,
 * so that all of them meet the same machine load (on a shared machine, timing one after the
 * other skews their ratio); blocks keep each function's own garbage in its own timings.
 */
export function timeInTurns(
  fns: readonly (() => void)[],
  iterations: number,
  block = 1,
): Timings[] {
  const all = fns.map((): Timings => ({ wall: [], cpu: [] }));
  for (let done = 0; done < iterations; done += block) {
    fns.forEach((fn, f) => {
      for (let i = done; i < Math.min(iterations, done + block); i++) {
        const c0 = process.cpuUsage();
        const t0 = performance.now();
        fn();
        all[f]?.wall.push(performance.now() - t0);
        const c = process.cpuUsage(c0);
        all[f]?.cpu.push((c.user + c.system) / 1000);
      }
    });
  }
  for (const t of all) {
    t.wall.sort((a, b) => a - b);
    t.cpu.sort((a, b) => a - b);
  }
  return all;
}

/** The `q` quantile of sorted `xs`. */
export const quantile = (xs: readonly number[], q: number): number =>
  xs[Math.min(xs.length - 1, Math.floor(q * xs.length))] ?? NaN;
const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g;

/** The naive pass every check is measured against: JSON.stringify of the output and one email-regex pass. */
export function baseline(o: NotebookOutput): number {
  const s = JSON.stringify(o);
  let n = 0;
  for (const _m of s.matchAll(EMAIL)) n++;
  return n;
}
