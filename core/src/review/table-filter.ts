/**
 * Which text tables the table rules can find something in, told before a table is built: most
 * tables of a log or a printed frame hold no small count, no percentage and no column the rules
 * look for, and building each (its cells cut out of the text) costs more than reading it. The
 * test here is exactly what each rule needs before it can return a hit, so a table it declines
 * is one the rules would have found nothing in (fast-paths-equal.test.ts compares the two).
 */
import { dobLabel, identifierKind } from './column-rules.js';
import { contributionRoles } from './dominance.js';
import { perLabel } from './labels.js';
import { percentLabel } from './small-cells.js';
import { countSpan } from './table.js';
import type { TableFilter } from './text-table.js';
import type { ReviewSettings, ViewUsed } from './types.js';

/**
 * A column label one of the rules reads a column for: a date of birth (`birthDateColumns`), an
 * identifier (`identifierColumns`), a contribution role (`dominance`) or a percentage
 * (`smallCells`). A table without one gives those rules nothing from its labels.
 */
const noticedLabel = perLabel(
  (label) =>
    dobLabel(label) ||
    identifierKind(label) !== null ||
    contributionRoles(label) !== 0 ||
    percentLabel(label),
);

/**
 * The `TableFilter` of the table rules under settings `s` and the views `views` a check was given:
 * a table is wanted when `rowLevel` can read it (a view that is neither synthetic nor DP, asked
 * as `rowLevel` asks, when the first table comes), when a column label is one a rule reads (see
 * `noticedLabel`), or when a value cell ends in '%' or displays a count in 1..threshold − 1
 * (`smallCells` reads nothing else before its first hit).
 */
export function tableRulesFilter(s: ReviewSettings, views: readonly ViewUsed[]): TableFilter {
  let rowViews: boolean | undefined;
  const th = s.small_cell_threshold;
  return (columns, text, rows) => {
    // `rowLevel`'s own test, read once: an empty list, or no view but synthetic and DP ones.
    rowViews ??=
      views.length !== 0 &&
      views.filter((v) => v.tier !== 'synthetic' && v.tier !== 'dp').length > 0;
    if (rowViews) return true;
    for (let c = 0; c < columns.length; c++) if (noticedLabel(columns[c] ?? '')) return true;
    const values = rows.values;
    const end = 2 * rows.rows * rows.width;
    for (let k = 0; k < end; k += 2) {
      const a = values[k] ?? 0;
      const b = values[k + 1] ?? 0;
      if (b > a && text.charCodeAt(b - 1) === 37) return true; // ends with '%'
      const v = countSpan(text, a, b);
      if (v !== undefined && v > 0 && v < th) return true;
    }
    return false;
  };
}
