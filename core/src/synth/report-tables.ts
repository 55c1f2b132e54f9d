// Why: the synthesizer codes a real value its view cannot hold (dropped by DP domain discovery, or
// outside the public categories) as the catch-all "(other)", and so may its synthetic rows. Compared
// on those codes, a column published 95% "(other)" — or a date column published all empty — scored
// as near-perfect. The fidelity report instead codes such real values apart, as "(not released)",
// which no synthetic row holds: the column then scores as far from the real one as it is. Only the
// share of such rows enters the report, never one of the values.
import { OTHER_LABEL } from './encode.js';
import type { DiscreteTable } from './table.js';

/** Label of the report-only code for real values the view's domain cannot hold. */
export const NOT_RELEASED_LABEL = '(not released)';

/** The tables and labels the fidelity report compares. */
export interface ReportTables {
  real: DiscreteTable;
  synthetic: DiscreteTable;
  labels: string[][];
}

/**
 * Report tables from the synthesizer's: in each column with a catch-all code (categorical ones),
 * real rows coded catch-all whose raw value is not literally "(other)" (`isLiteralOther`, by row)
 * move to one more code, NOT_RELEASED_LABEL, added to both tables' domains; other columns are
 * shared.
 */
export function reportTables(
  real: DiscreteTable,
  synthetic: DiscreteTable,
  labels: readonly (readonly string[])[],
  isLiteralOther: (column: number, row: number) => boolean,
): ReportTables {
  const out: ReportTables = {
    real: { columns: [...real.columns], rows: real.rows },
    synthetic: { columns: [...synthetic.columns], rows: synthetic.rows },
    labels: labels.map((l) => [...l]),
  };
  real.columns.forEach((column, i) => {
    const other = column.catchAll;
    if (other === undefined) return;
    const notReleased = column.size;
    let moved = 0;
    const codes = Int32Array.from(column.codes, (code, row) => {
      if (code !== other || isLiteralOther(i, row)) return code;
      moved++;
      return notReleased;
    });
    if (moved === 0) return;
    out.real.columns[i] = { ...column, size: column.size + 1, codes };
    const syn = synthetic.columns[i]!;
    out.synthetic.columns[i] = { ...syn, size: syn.size + 1 };
    out.labels[i]!.push(NOT_RELEASED_LABEL);
  });
  return out;
}

/** True for a raw value the catch-all holds as itself: the text "(other)". */
export function rawIsOtherLabel(value: string | number | boolean | null): boolean {
  return value !== null && String(value) === OTHER_LABEL;
}
