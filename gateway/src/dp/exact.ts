/**
 * Exact measurement values from the aggregation query's row (internal; never released without
 * noise). The SQL returns count(v), sum(v) and sum(v²) per shared value slot; the centred sums
 * the mechanisms need follow exactly in BigInt: Σ(v−c) = Σv − c·n and
 * Σ(v−c)² = Σv² − 2c·Σv + c²·n.
 */
import type { DpPricedPlan } from '@privet/core/dpsql/price';
import { valueSlots } from './render.js';

function big(value: unknown): bigint {
  if (value === null || value === undefined) return 0n;
  if (typeof value === 'bigint') return value;
  const text = String(value);
  if (!/^-?\d+$/.test(text)) throw new Error('aggregate value is not an integer');
  return BigInt(text);
}

/** Rows `{k0…, m0…, sel}` (decimal strings; histograms as DuckDB's [{key, value}] lists). */
export function deriveMeasurements(
  priced: DpPricedPlan,
  rows: Record<string, unknown>[],
): Record<string, unknown>[] {
  const { slotOf } = valueSlots(priced);
  return rows.map((row) => {
    const out: Record<string, unknown> = {};
    priced.logical.keys.forEach((_, i) => (out[`k${i}`] = row[`k${i}`]));
    priced.measurements.forEach((m, i) => {
      const agg = priced.logical.aggregates[m.aggregate];
      const slot = slotOf[m.aggregate];
      const c = priced.encodings[m.aggregate]?.centre ?? 0n;
      const n = big(row[`n${slot}`]);
      const s = big(row[`s${slot}`]);
      let v: bigint | unknown;
      switch (m.part) {
        case 'count':
          v = agg?.kind === 'count' ? big(row['c']) : n;
          break;
        case 'sum':
          v = s;
          break;
        case 'centred_sum':
          v = s - c * n;
          break;
        case 'centred_sum_sq':
          v = big(row[`q${slot}`]) - 2n * c * s + c * c * n;
          break;
        case 'distinct_units':
          v = big(row['d']);
          break;
        case 'histogram':
          v = row[`h${m.aggregate}`] ?? [];
          break;
      }
      out[`m${i}`] = typeof v === 'bigint' ? v.toString() : v;
    });
    if (priced.selection) out['sel'] = big(row['d']).toString();
    return out;
  });
}
