/**
 * The grid reading of SVG text: the tokens placed for certain, read again by drawn `y`, then `x`;
 * less the tables the reading as written already reads alike (`gridBeyondWritten`).
 */
import { CONTEXT_COUNT, NAMED_INT_SERIES, statedTotal } from './labels.js';
import { normalize } from './normalize.js';
import type { Table } from './table.js';
import { forEachTextTable } from './text-table.js';

/**
 * The tokens whose place is known (`y` and `x` as drawn), in the order written, kept for a second
 * reading of the SVG as a grid: rows by drawn `y`, each row's tokens by drawn `x`. A table drawn
 * column by column (vega's text marks, one mark group per column; d3 appending column after
 * column) has its cells at one `y` but not one after another, so the reading as written gives
 * each cell a line of its own.
 */
export class PlacedTokens {
  private readonly ys: number[] = [];
  private readonly xs: number[] = [];
  /** The line of the reading as written each token is on, and its key. */
  private readonly lines: number[] = [];
  private readonly keys: number[] = [];
  private readonly texts: string[] = [];

  /** Keeps a token drawn at (`x`, `y`) (finite), read as written on `line`. */
  add(y: number, x: number, line: number, key: number, text: string): void {
    if (!Number.isFinite(y) || !Number.isFinite(x)) return;
    this.ys.push(y);
    this.xs.push(x);
    this.lines.push(line);
    this.keys.push(key);
    this.texts.push(text);
  }

  /**
   * The grid reading (lines by `y`, tokens by `x`, two spaces apart; ties in written order) of the
   * tokens outside the axes in `ticks` (tick labels and titles of a real axis: an x axis's labels
   * are no table row), or '' when it holds no row the reading as written lacks: every row of the
   * grid is then part of one line as written, in the same order. Sorted only then: O(n log n).
   */
  grid(ticks: ReadonlySet<number>): string {
    const { ys, xs, keys, texts } = this;
    const order: number[] = [];
    for (let k = 0; k < ys.length; k++) if (!ticks.has(keys[k] as number)) order.push(k);
    if (!this.mayHoldNewRow(order) || !this.holdsNewRow(order)) return '';
    order.sort(
      (a, b) =>
        (ys[a] as number) - (ys[b] as number) || (xs[a] as number) - (xs[b] as number) || a - b,
    );
    let out = '';
    for (let i = 0; i < order.length; i++) {
      const k = order[i] as number;
      const sameRow = i > 0 && ys[order[i - 1] as number] === ys[k];
      out += i === 0 ? texts[k] : `${sameRow ? '  ' : '\n'}${texts[k]}`;
    }
    return out;
  }

  /**
   * False when no row of the grid can be new: the runs of tokens on one line at one `y` (in written
   * order) each go left to right, and no two runs share a `y` (their `y`s sorted as numbers, natively).
   */
  private mayHoldNewRow(kept: readonly number[]): boolean {
    const { ys, xs, lines } = this;
    const runs = new Float64Array(kept.length);
    let count = 0;
    let prev = -1;
    for (const k of kept) {
      if (prev >= 0 && ys[prev] === ys[k] && lines[prev] === lines[k]) {
        if ((xs[prev] as number) > (xs[k] as number)) return true;
      } else runs[count++] = ys[k] as number;
      prev = k;
    }
    const sorted = runs.subarray(0, count).sort();
    for (let i = 1; i < count; i++) if (sorted[i] === sorted[i - 1]) return true;
    return false;
  }

  /**
   * Whether a row of the grid is not part of one line as written in the same order: whether a
   * token (of `kept`, in written order) is drawn at the `y` of an earlier one on another line, or
   * left of it on the same line. One pass; the earlier token at a `y` is kept per `y` as a run of
   * one line at that `y` ends (within a run, each token is checked against the one before).
   */
  private holdsNewRow(kept: readonly number[]): boolean {
    const { ys, xs, lines } = this;
    const last = new Map<number, number>();
    let prev = -1;
    for (const k of kept) {
      const y = ys[k] as number;
      if (prev >= 0 && ys[prev] === y && lines[prev] === lines[k]) {
        if ((xs[prev] as number) > (xs[k] as number)) return true;
        prev = k;
        continue;
      }
      if (prev >= 0) last.set(ys[prev] as number, prev);
      const j = last.get(y);
      if (j !== undefined && (lines[j] !== lines[k] || (xs[j] as number) > (xs[k] as number)))
        return true;
      prev = k;
    }
    return false;
  }
}

/** The number of lines of `s` (one more than its line ends). */
function lineCount(s: string): number {
  let n = 1;
  for (let k = s.indexOf('\n'); k >= 0; k = s.indexOf('\n', k + 1)) n++;
  return n;
}

/** SVG rows as the review reads them (parts.ts): normalized, and the text tables in them. */
interface Reading {
  text: string;
  tables: Table[];
}

/**
 * `rows` read as the review reads SVG text, or undefined when lines cannot be matched to the rows
 * (normalizing made more of them) or the table reader stopped at its cap.
 */
function readAsReviewed(rows: string): Reading | undefined {
  const { text } = normalize(rows);
  if (lineCount(text) !== lineCount(rows)) return undefined;
  const tables: Table[] = [];
  let partial = false;
  forEachTextTable(
    text,
    '',
    (t) => tables.push(t),
    () => (partial = true),
  );
  return partial ? undefined : { text, tables };
}

/** A table as the table rules read it: all of it but the line it starts on. */
const tableKey = (t: Table): string =>
  JSON.stringify([t.indexed, t.labelColumns, t.columns, t.rowLabels, t.cells, t.context]);

/**
 * A table as far as the table rules' findings go: its context only by what is read there (the
 * count words, a pandas int Series footer and a stated total, small-cells.ts; no other rule reads
 * it — svg-grid-once.test.ts pins that), so a table found again with other lines around it matches.
 */
const findingsKey = (t: Table): string => {
  const c = t.context;
  const signals = [CONTEXT_COUNT.test(c), /dtype: u?int/.test(c), NAMED_INT_SERIES.test(c)];
  return JSON.stringify([
    t.indexed,
    t.labelColumns,
    t.columns,
    t.rowLabels,
    t.cells,
    signals,
    statedTotal(c) ?? null,
  ]);
};

/**
 * The grid reading (`grid`, rows by drawn `y`) to add after the reading as written (`written`),
 * without the tables that reading already has: the body rows of each grid table the reading as
 * written reads alike (`findingsKey`) are left out (a run of them becomes one empty line), unless
 * another grid table reads them (as its rows or the two lines above or one below it), so each table
 * is reported once. Fails closed: the whole grid is kept unless reading what is left gives every
 * other table as before (the same rows, labels and context) and the same stated total, and when
 * lines cannot be matched or a cap is met. Linear: the rows are read twice more, as the review reads.
 */
export function gridBeyondWritten(written: string, grid: string): string {
  const rows = grid.split('\n');
  const lines = new Set(written.split('\n'));
  // A table read alike has its rows written alike, and a table row has two cells at least (two
  // spaces apart): most grids (no such row among the lines: single labels and titles) end here.
  if (!rows.some((row) => row.includes('  ') && lines.has(row))) return grid;
  const full = readAsReviewed(`${written}\n\n${grid}`);
  if (full === undefined) return grid;
  const first = lineCount(written) + 1; // the line of the grid's first row
  const asWritten = new Set<string>();
  for (const t of full.tables) if ((t.firstLine ?? 0) < first) asWritten.add(findingsKey(t));
  /** Per grid row: 1, the body of a table read alike as written; 2, read by another table. */
  const mark = new Uint8Array(rows.length);
  const others: Table[] = [];
  for (const t of full.tables) {
    const at = (t.firstLine ?? 0) - first;
    if (at >= 0 && asWritten.has(findingsKey(t))) mark.fill(1, at, at + t.cells.length);
    else others.push(t);
  }
  if (others.length === full.tables.length) return grid;
  for (const t of others) {
    const at = (t.firstLine ?? 0) - first;
    if (at + t.cells.length + 1 > 0) mark.fill(2, Math.max(0, at - 2), at + t.cells.length + 1);
  }
  let out = '';
  let gap = false;
  for (let r = 0; r < rows.length; r++) {
    if (mark[r] === 1) gap = out !== '';
    else {
      out = out === '' ? (rows[r] as string) : `${out}${gap ? '\n\n' : '\n'}${rows[r] as string}`;
      gap = false;
    }
  }
  const left = readAsReviewed(out === '' ? written : `${written}\n\n${out}`);
  if (left === undefined || statedTotal(left.text) !== statedTotal(full.text)) return grid;
  const read = new Map<string, number>();
  for (const t of left.tables) {
    const key = tableKey(t);
    read.set(key, (read.get(key) ?? 0) + 1);
  }
  for (const t of others) {
    const key = tableKey(t);
    const n = read.get(key) ?? 0;
    if (n === 0) return grid;
    read.set(key, n - 1);
  }
  return out;
}
