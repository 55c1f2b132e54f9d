/** Dominance (N-k with n=2, k=90% and the p% rule) where per-unit contributions are known. */
import { columnWords, cut, perLabel, type CellHit } from './labels.js';
import { parseNumber, type Table } from './table.js';
import type { CellContributions, ReviewSettings } from './types.js';

const TOP1 =
  /^(?:top ?1|x1|largest|max|max contribution|largest contribution|top contributor|first|top1 value)$/;
const TOP2 = /^(?:top ?2|x2|second|second largest|2nd|second contributor|top2 value)$/;
const TOTAL = /^(?:total|sum|value|cell total|total value|amount)$/;
/** Which of TOP1 (1), TOTAL (2) and TOP2 (4) a column label's words match, as bits. */
export const contributionRoles = perLabel((label) => {
  const c = columnWords(label);
  return (TOP1.test(c) ? 1 : 0) | (TOTAL.test(c) ? 2 : 0) | (TOP2.test(c) ? 4 : 0);
});

/** Is a cell with these sorted-descending contributions dominated (N-k or p%)? */
export function dominated(values: readonly number[], s: ReviewSettings): string | undefined {
  if (values.some((v) => v < 0)) return 'negative contributions (dominance needs review)';
  const sorted = [...values].sort((a, b) => b - a);
  const total = sorted.reduce((a, b) => a + b, 0);
  if (total <= 0) return undefined;
  const top = sorted.slice(0, s.dominance.n).reduce((a, b) => a + b, 0);
  if (top > s.dominance.k * total)
    return `the ${s.dominance.n} largest contributors exceed ${Math.round(s.dominance.k * 100)}% of the cell total`;
  const x1 = sorted[0] ?? 0;
  const x2 = sorted[1] ?? 0;
  if (sorted.length >= 2 && total - x1 - x2 < s.dominance.p * x1)
    return `the p% rule fails (remainder below ${Math.round(s.dominance.p * 100)}% of the largest)`;
  return undefined;
}

/** Dominance over tables showing per-unit contributions (total + largest [+ second]). */
export function dominance(t: Table, s: ReviewSettings): CellHit[] {
  const roles = t.columns.map(contributionRoles);
  const i1 = roles.findIndex((r) => (r & 1) !== 0);
  if (i1 < 0) return [];
  const it = roles.findIndex((r) => (r & 2) !== 0);
  if (it < 0) return [];
  const i2 = roles.findIndex((r) => (r & 4) !== 0);
  const hits: CellHit[] = [];
  t.cells.forEach((r, ri) => {
    const total = parseNumber(r[it] ?? '');
    const x1 = parseNumber(r[i1] ?? '');
    const x2 = i2 >= 0 ? parseNumber(r[i2] ?? '') : undefined;
    if (total === undefined || x1 === undefined) return;
    let why: string | undefined;
    if (total < 0 || x1 < 0 || (x2 ?? 0) < 0)
      why = 'negative contributions (dominance needs review)';
    else if (total > 0) {
      const top = x1 + (s.dominance.n >= 2 ? (x2 ?? 0) : 0);
      if (top > s.dominance.k * total || (x2 === undefined && x1 > s.dominance.k * total))
        why = `the largest contributors exceed ${Math.round(s.dominance.k * 100)}% of the cell total`;
      else if (x2 !== undefined && total - x1 - x2 < s.dominance.p * x1)
        why = `the p% rule fails (remainder below ${Math.round(s.dominance.p * 100)}% of the largest)`;
    }
    if (why !== undefined && hits.length < 200)
      hits.push({
        rule: 'dominance',
        row: ri,
        column: it,
        message: `dominated cell (row ${ri + 1}): ${why}`,
      });
  });
  return hits;
}

/** Dominance over contributions supplied by the host. */
export function contributionHits(list: readonly CellContributions[], s: ReviewSettings): CellHit[] {
  const hits: CellHit[] = [];
  list.forEach((cell, i) => {
    const why = dominated(cell.values, s);
    if (why !== undefined)
      hits.push({
        rule: 'dominance',
        row: i,
        column: 0,
        message: `dominated cell ${cell.label !== undefined ? JSON.stringify(cut(cell.label)) : i + 1}: ${why}`,
      });
  });
  return hits;
}
