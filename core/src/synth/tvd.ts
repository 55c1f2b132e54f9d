// Why: total variation distance over all k-way marginals is the benchmark metric of marginal-based
// synthesizers (NIST challenge, MST/AIM papers); both tables are normalized by their own row count
// so a synthetic table of a different size is compared fairly.
import { countMarginal, type DiscreteTable } from './table.js';
import { SynthError } from './errors.js';

/** TVD between the marginals over `attrs` of two tables with the same columns. */
export function marginalTvd(
  real: DiscreteTable,
  synth: DiscreteTable,
  attrs: readonly number[],
): number {
  const a = countMarginal(real, attrs);
  const b = countMarginal(synth, attrs);
  const na = Math.max(1, real.rows);
  const nb = Math.max(1, synth.rows);
  let s = 0;
  for (let i = 0; i < a.length; i++) s += Math.abs(a[i]! / na - b[i]! / nb);
  return s / 2;
}

/** All index combinations of size k from 0..d-1, in lexicographic order. */
export function combinations(d: number, k: number): number[][] {
  const out: number[][] = [];
  const cur: number[] = [];
  const rec = (start: number): void => {
    if (cur.length === k) {
      out.push([...cur]);
      return;
    }
    for (let i = start; i < d; i++) {
      cur.push(i);
      rec(i + 1);
      cur.pop();
    }
  };
  rec(0);
  return out;
}

/** Mean TVD over every k-way marginal (k = 1, 2, 3). */
export function meanTvd(real: DiscreteTable, synth: DiscreteTable, k: number): number {
  if (real.columns.length !== synth.columns.length) {
    throw new SynthError(
      'metrics.mismatch',
      'The two tables have different columns',
      'compare tables with the same schema',
    );
  }
  const sets = combinations(real.columns.length, k);
  if (sets.length === 0) return 0;
  let s = 0;
  for (const attrs of sets) s += marginalTvd(real, synth, attrs);
  return s / sets.length;
}
