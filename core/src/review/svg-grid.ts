/** The grid reading of SVG text: the tokens placed for certain, read again by drawn `y`, then `x`. */

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
