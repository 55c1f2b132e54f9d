/**
 * The expected error of one aggregate as a dry run shows it, before anything is spent. COUNT and
 * SUM have one noisy measurement, so their ± does not depend on the data. AVG is a noisy centred
 * sum over a noisy count: its error shrinks with the group's size, so it is shown for a few group
 * sizes, with the same bound the release's interval uses (release.ts: the ratio of the two
 * measurements' intervals, the centred sum at most half the bounds' range per row).
 */
import type { DpReleaseColumn } from '../dpsql/types.js';

/** Group sizes an AVG's error is shown for. */
export const MEAN_ERROR_ROWS: readonly number[] = [100, 1_000, 10_000];

/**
 * The (1−alpha) half-width of an AVG over a group of `rows` rows, or undefined when the column is
 * not an AVG with bounds, or the count's noise could cancel the group (the error is then the whole
 * range of the bounds).
 */
export function meanHalfWidth(column: DpReleaseColumn, rows: number): number | undefined {
  if (column.kind !== 'avg' || !column.bounds) return undefined;
  const count = column.noise?.find((n) => n.part === 'count')?.halfWidth;
  const sum = column.noise?.find((n) => n.part === 'centred_sum')?.halfWidth;
  if (count === undefined || sum === undefined || rows <= count) return undefined;
  const radius = (Number(column.bounds[1]) - Number(column.bounds[0])) / 2;
  if (!Number.isFinite(radius)) return undefined;
  // |(S + e_S)/(C + e_C) − S/C| ≤ (|e_S| + |S/C|·|e_C|)/(C − |e_C|), and |S/C| ≤ radius.
  return Math.min(radius * 2, (sum + radius * count) / (rows - count));
}

/** `value` to three significant digits with thousands separators (an error estimate, not a result). */
export function roughNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const rounded = Number(value.toPrecision(3));
  return rounded.toLocaleString('en-US', { maximumFractionDigits: 6 });
}

/** The ± text of one aggregate of a dry run (e.g. "± 18", or an AVG's per group size). */
export function aggregateErrorText(column: DpReleaseColumn): string {
  if (column.halfWidth !== undefined) return `± ${roughNumber(column.halfWidth)}`;
  const means = MEAN_ERROR_ROWS.map((rows) => ({ rows, h: meanHalfWidth(column, rows) })).filter(
    (m): m is { rows: number; h: number } => m.h !== undefined,
  );
  if (means.length > 0)
    return means
      .map((m) => `± ${roughNumber(m.h)} over ${m.rows.toLocaleString('en-US')} rows`)
      .join(' · ');
  const parts = (column.noise ?? []).map((n) => `${n.part} ± ${roughNumber(n.halfWidth)}`);
  return parts.length > 0 ? `depends on the data (${parts.join(', ')})` : 'depends on the data';
}
