/** Row-level data: a table carrying quasi-identifiers of a masked view is microdata, not an aggregate. */
import { isCountLabel, isRangeIndex, norm, type CellHit } from './labels.js';
import type { Table } from './table.js';
import type { ReviewSettings, ViewUsed } from './types.js';

const AGG_LABEL =
  /\b(?:mean|avg|average|median|sum|total|count|n|std|min|max|rate|pct|percent|share|proportion)\b/;

/** Row-level data: a table carrying quasi-identifiers of a masked view, not an aggregate. */
export function rowLevel(t: Table, s: ReviewSettings, views: readonly ViewUsed[]): CellHit[] {
  if (views.length === 0) return [];
  const rowViews = views.filter((v) => v.tier !== 'synthetic' && v.tier !== 'dp');
  if (rowViews.length === 0 || t.cells.length === 0) return [];
  const key = (x: string): string => x.toLowerCase().replace(/[^a-z0-9]/g, '');
  const list = (x: unknown): string[] =>
    Array.isArray(x) ? x.filter((y): y is string => typeof y === 'string') : [];
  // Hosts may pass the policy's snake_case spelling; a missing list is empty, never a crash.
  const qiOf = (v: ViewUsed): string[] =>
    list(v.quasiIdentifiers ?? (v as unknown as { quasi_identifiers?: unknown }).quasi_identifiers);
  const qis = new Set(rowViews.flatMap((v) => qiOf(v).map(key)));
  const viewCols = new Set(rowViews.flatMap((v) => list(v.columns).map(key)));
  const names = [...t.labelColumns, ...t.columns].map((x) => key(x.split(' / ').pop() ?? ''));
  const qiIdx = names.flatMap((n, i) => (qis.has(n) ? [i] : []));
  if (qiIdx.length === 0) return [];
  const colNames = t.columns.map((x) => norm(x).replace(/[_-]/g, ' '));
  const aggregated = colNames.some((c) => AGG_LABEL.test(c) || isCountLabel(c));
  const rows = t.cells.length;
  const valueOf = (r: number, i: number): string =>
    i < t.labelColumns.length
      ? (t.rowLabels[r]?.[i] ?? '')
      : (t.cells[r]?.[i - t.labelColumns.length] ?? '');
  const combos = new Set<string>();
  let repeats = false;
  for (let r = 0; r < rows && !repeats; r++) {
    const k = qiIdx.map((i) => valueOf(r, i)).join('\u0000');
    if (combos.has(k)) repeats = true;
    combos.add(k);
  }
  const qiInData = qiIdx.some((i) => i >= t.labelColumns.length);
  const viewMatches = names.filter((n) => viewCols.has(n) || qis.has(n)).length;
  const wide = viewMatches >= 3 && (!t.indexed || isRangeIndex(t));
  if ((repeats && rows >= 2) || (!aggregated && ((rows >= s.rows_threshold && qiInData) || wide))) {
    return [
      {
        rule: 'row-level',
        row: 0,
        column: Math.max(0, (qiIdx[0] ?? 0) - t.labelColumns.length),
        message: `${rows} row(s) of row-level data carrying quasi-identifier column(s) of a sandbox view; row-level outputs need review`,
      },
    ];
  }
  return [];
}
