/**
 * Generalization operators as DuckDB SQL: dates to year/month, dates of birth to age bands,
 * strings to prefixes, numbers to ranges with bottom/top coding. Outputs are labels (VARCHAR)
 * whose format is declared, so quasi-identifier classes are coarse and checkable.
 * numeric_range works in integer units of the policy's finest decimal (≤ 6 places), so bin edges
 * are exact and print without binary-fraction noise; a value scaled to those units is rounded to
 * 6 decimals first, so 0.29 × 100 (28.999999999999996 in binary) lands in the bin from 0.29.
 */
import type { MaskSql } from './masks.js';
import { decimalText } from './sql.js';

const MAX_DECIMALS = 6;

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** `2025-03-14` → `2025` (year) or `2025-03` (month). */
export function dateTruncSql(v: string, to: 'year' | 'month'): MaskSql {
  return to === 'year'
    ? { sql: `strftime(${v}, '%Y')`, format: '[0-9]{4}' }
    : { sql: `strftime(${v}, '%Y-%m')`, format: '[0-9]{4}-(0[1-9]|1[0-2])' };
}

/** Age on `asOf` (ISO date) from a date of birth, banded by `width`, top-coded at `top` (`80+`). */
export function ageBandSql(v: string, asOf: string, width: number, top?: number): MaskSql {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(asOf);
  if (!m) throw new RangeError(`as_of must be an ISO date (YYYY-MM-DD), got "${asOf}"`);
  const year = Number(m[1]);
  const monthDay = Number(m[2]) * 100 + Number(m[3]);
  const age = `((${year} - year(${v})) - CASE WHEN month(${v}) * 100 + day(${v}) > ${monthDay} THEN 1 ELSE 0 END)`;
  const lo = `((${age} // ${width}) * ${width})`;
  const hi = top === undefined ? `${lo} + ${width - 1}` : `least(${lo} + ${width - 1}, ${top - 1})`;
  const band =
    width === 1
      ? `CAST(${lo} AS VARCHAR)`
      : `CAST(${lo} AS VARCHAR) || '-' || CAST(${hi} AS VARCHAR)`;
  const topCase = top === undefined ? '' : `WHEN ${age} >= ${top} THEN '${top}+' `;
  return {
    sql: `CASE WHEN ${v} IS NULL THEN NULL WHEN ${age} < 0 THEN '<0' ${topCase}ELSE ${band} END`,
    format: `<0|[0-9]+(-[0-9]+)?${top === undefined ? '' : `|${top}\\+`}`,
  };
}

/** First `keep` characters, the rest replaced by `*` (`02139` → `021**`). */
export function prefixSql(v: string, keep: number): MaskSql {
  return {
    sql: `left(${v}, ${keep}) || repeat('*', greatest(length(${v}) - ${keep}, 0))`,
    format: `[\\s\\S]{0,${keep}}\\**`, // [\s\S], not ".": a kept character may be a line break
  };
}

function decimals(n: number): number {
  const text = decimalText(n);
  const dot = text.indexOf('.');
  return dot < 0 ? 0 : text.length - dot - 1;
}

/** Numbers to `[lo,hi)` bins of `width` aligned at `bottom` (or 0), with `<bottom` / `>=top` coding. */
export function numericRangeSql(v: string, width: number, bottom?: number, top?: number): MaskSql {
  const d = Math.max(...[width, bottom ?? 0, top ?? 0].map(decimals));
  if (d > MAX_DECIMALS) {
    throw new RangeError(`numeric_range parameters may have at most ${MAX_DECIMALS} decimals`);
  }
  const scale = 10 ** d;
  const units = (n: number) => {
    const u = Math.round(n * scale);
    if (!Number.isSafeInteger(u))
      throw new RangeError(`numeric_range parameter out of range: ${n}`);
    return u;
  };
  const w = units(width);
  const origin = bottom === undefined ? 0 : units(bottom);
  const x = d === 0 ? `CAST(${v} AS DOUBLE)` : `round(CAST(${v} AS DOUBLE) * ${scale}, 6)`;
  const lo = `(${origin} + CAST(floor((${x} - ${origin}) / ${w}) AS BIGINT) * ${w})`;
  const hi = top === undefined ? `(${lo} + ${w})` : `least(${lo} + ${w}, ${units(top)})`;
  const fmt = (u: string) =>
    d === 0 ? `CAST(${u} AS VARCHAR)` : `printf('%.${d}f', ${u} / ${scale})`;
  const label = (n: number) => (d === 0 ? String(units(n)) : (units(n) / scale).toFixed(d));
  const cases: string[] = [];
  const alternatives = [
    d === 0 ? '\\[-?[0-9]+,-?[0-9]+\\)' : `\\[-?[0-9]+\\.[0-9]{${d}},-?[0-9]+\\.[0-9]{${d}}\\)`,
  ];
  if (bottom !== undefined) {
    cases.push(`WHEN ${x} < ${origin} THEN '<${label(bottom)}'`);
    alternatives.push(escapeRegex(`<${label(bottom)}`));
  }
  if (top !== undefined) {
    cases.push(`WHEN ${x} >= ${units(top)} THEN '>=${label(top)}'`);
    alternatives.push(escapeRegex(`>=${label(top)}`));
  }
  return {
    sql:
      `CASE WHEN ${v} IS NULL THEN NULL ${cases.join(' ')} ` +
      `ELSE '[' || ${fmt(lo)} || ',' || ${fmt(hi)} || ')' END`,
    format: alternatives.join('|'),
  };
}
