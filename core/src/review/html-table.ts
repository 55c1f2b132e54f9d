/**
 * Extracts tables from HTML (pandas `to_html`, Styler, hand-written), expanding rowspan/colspan
 * so pivot tables with spanned labels map every data cell to its row and column labels.
 */
import {
  CAPTION,
  cellText,
  TBODY,
  TD,
  TFOOT,
  TH,
  THEAD,
  TR,
  TABLE,
  tableTagAt,
  type TagScan,
} from './html-tags.js';
import { gridToTable, type GridCell, type OnPartial, type Table } from './table.js';

export { nextTag, plainCell, type TagMatch } from './html-tags.js';

const MAX_CELLS = 200_000;
const MORE_CELLS = /<t[dh][\s>/]/i;

const ROWSPAN = /rowspan\s*=\s*["']?(\d+)/i;
const COLSPAN = /colspan\s*=\s*["']?(\d+)/i;

function span(attrs: string, re: RegExp): number {
  if (attrs.length < 8) return 1;
  const m = re.exec(attrs);
  const v = m === null ? 1 : Number(m[1]);
  return v >= 1 && v <= 1000 ? v : 1;
}

interface RawCell {
  text: string;
  header: boolean;
  rowspan: number;
  colspan: number;
}

/** All tables of an HTML document (nested tables are read as separate, flattened tables). */
export function htmlTables(html: string, mime: string, onPartial?: OnPartial): Table[] {
  const tables: Table[] = [];
  let from = 0;
  // indexOf results are kept while still ahead of `at`, so an absent upper-case spelling is
  // searched for once, not once per table.
  const found = new Map<string, number>();
  const indexFrom = (needle: string, at: number): number => {
    const known = found.get(needle);
    if (known !== undefined && (known === -1 || known >= at)) return known;
    const i = html.indexOf(needle, at);
    found.set(needle, i);
    return i;
  };
  const find = (needle: string, at: number): number => {
    const a = indexFrom(needle, at);
    const upper = needle.toUpperCase();
    const known = found.get(upper);
    if (a < 0 || (known !== undefined && (known === -1 || known >= at)))
      return spelledFirst(a, indexFrom(upper, at));
    // Only an upper-case spelling before `a` matters: search that stretch, not the whole rest.
    const b = html.slice(at, a + needle.length - 1).indexOf(upper);
    return b < 0 ? a : at + b;
  };
  const parsed: ParsedTable = { table: undefined, end: 0, cut: false };
  for (;;) {
    const start = find('<table', from);
    if (start < 0) break;
    parseTable(html, start, mime, parsed, find);
    if (parsed.table !== undefined) tables.push(parsed.table);
    if (parsed.cut)
      onPartial?.(`rows after the first ${MAX_CELLS.toLocaleString('en')} cells of an HTML table`);
    from = parsed.end + 1;
  }
  return tables;
}

/** The first of two `indexOf` results (-1 for absent). */
function spelledFirst(a: number, b: number): number {
  return a < 0 ? b : b < 0 ? a : Math.min(a, b);
}

/** What `parseTable` read: the table (if it has rows) and where it ends. */
interface ParsedTable {
  table: Table | undefined;
  /** Index of the first '</table' or '</TABLE' after the start, or the document's length. */
  end: number;
  /** True when the table had more cells than MAX_CELLS and the rest was not read. */
  cut: boolean;
}

/** True if the '<' at `i` starts '</table' or '</TABLE' (the spellings that end a table). */
function tableEndAt(html: string, i: number): boolean {
  if (html.charCodeAt(i + 1) !== 47) return false;
  const t = html.charCodeAt(i + 2);
  if (t === 116) return spelledAt(html, i + 3, 'able');
  return t === 84 && spelledAt(html, i + 3, 'ABLE');
}

/** True if `word` occurs at `at` exactly (case included); no substring is made. */
function spelledAt(s: string, at: number, word: string): boolean {
  for (let k = 0; k < word.length; k++)
    if (s.charCodeAt(at + k) !== word.charCodeAt(k)) return false;
  return true;
}

/** The state of one table's tag walk: rows so far, the open row and cell, the caption. */
class TableReader {
  readonly rows: RawCell[][] = [];
  readonly headRow: boolean[] = [];
  caption = '';
  inHead = false;
  row: RawCell[] | undefined = undefined;
  cellStart = -1;
  cellHeader = false;
  cellRowspan = 1;
  cellColspan = 1;
  captionStart = -1;
  cells = 0;
  constructor(readonly html: string) {}

  /** Closes the open cell (its text ends at `at`). */
  closeCell(at: number): void {
    if (this.cellStart >= 0 && this.row !== undefined) {
      this.row.push({
        text: cellText(this.html, this.cellStart, at),
        header: this.cellHeader,
        rowspan: this.cellRowspan,
        colspan: this.cellColspan,
      });
      this.cells++;
    }
    this.cellStart = -1;
  }

  /** Closes the open cell and row. */
  closeRow(at: number): void {
    this.closeCell(at);
    if (this.row !== undefined) {
      this.rows.push(this.row);
      this.headRow.push(this.inHead);
    }
    this.row = undefined;
  }

  /** Applies the table tag `tag` that starts at `i`. */
  apply(tag: TagScan, i: number): void {
    const closing = tag.closing;
    const name = tag.name;
    if (name === TD || name === TH) {
      this.closeCell(i);
      if (!closing) {
        if (this.row === undefined) this.row = [];
        this.cellStart = tag.close + 1;
        this.cellHeader = name === TH;
        const attrs =
          tag.close - tag.attrsStart >= 8 ? this.html.slice(tag.attrsStart, tag.close) : '';
        this.cellRowspan = span(attrs, ROWSPAN);
        this.cellColspan = span(attrs, COLSPAN);
      }
    } else if (name === TR) {
      this.closeRow(i);
      if (!closing) this.row = [];
    } else if (name === CAPTION) {
      if (!closing) this.captionStart = tag.close + 1;
      else if (this.captionStart >= 0)
        this.caption += ' ' + cellText(this.html, this.captionStart, i);
    } else if (name === THEAD) {
      this.closeRow(i);
      this.inHead = !closing;
    } else if (name === TBODY || name === TFOOT) {
      this.closeRow(i);
      this.inHead = false;
    }
  }
}

/**
 * Reads the table starting at `start` up to its end (the first '</table' or '</TABLE'), walking
 * every '<' in between once; the walk is the one that finds that end.
 */
function parseTable(
  html: string,
  start: number,
  mime: string,
  result: ParsedTable,
  find: (needle: string, at: number) => number,
): void {
  const reader = new TableReader(html);
  const tag: TagScan = { name: TABLE, closing: false, attrsStart: 0, close: 0 };
  let end = -1;
  result.cut = false;
  for (let i = html.indexOf('<', start); i >= 0; i = html.indexOf('<', i + 1)) {
    if (tableEndAt(html, i)) {
      end = i;
      break;
    }
    if (!tableTagAt(html, i, tag)) continue;
    if (reader.cells >= MAX_CELLS) {
      // Stopped early: the end is still the first '</table' from here (none came before). Cells
      // left unread make the read partial.
      end = find('</table', i);
      result.cut = MORE_CELLS.test(html.slice(i, end < 0 ? html.length : end));
      break;
    }
    reader.apply(tag, i);
    i = tag.close; // the walk resumes after the tag (no '<' inside it)
  }
  if (end < 0) end = html.length;
  result.end = end;
  reader.closeRow(end);
  const rows = reader.rows;
  if (rows.length === 0) {
    result.table = undefined;
    return;
  }
  // Expand spans into a dense grid (fast path: no spans at all).
  const spanned = rows.some((r) => r.some((c) => c.rowspan > 1 || c.colspan > 1));
  const dense: GridCell[][] = spanned ? expand(rows) : rows;
  result.table = finish(dense, reader.headRow, reader.caption, mime);
}

function expand(rows: readonly RawCell[][]): GridCell[][] {
  const grid: GridCell[][] = [];
  rows.forEach((r, ri) => {
    grid[ri] ??= [];
    let c = 0;
    for (const rc of r) {
      const g = grid[ri] as GridCell[];
      while (g[c] !== undefined) c++;
      for (let dr = 0; dr < rc.rowspan && ri + dr < rows.length; dr++) {
        const target = (grid[ri + dr] ??= []);
        for (let dc = 0; dc < rc.colspan; dc++)
          target[c + dc] = { text: rc.text, header: rc.header };
      }
      c += rc.colspan;
    }
  });
  return grid.map((r) => Array.from(r, (x) => x ?? { text: '', header: false }));
}

function finish(
  dense: readonly GridCell[][],
  headRow: readonly boolean[],
  caption: string,
  mime: string,
): Table | undefined {
  let headerRows = 0;
  while (headerRows < dense.length && headRow[headerRows] === true) headerRows++;
  if (headerRows === 0) {
    while (headerRows < dense.length - 1 && (dense[headerRows] ?? []).every((x) => x.header))
      headerRows++;
  }
  let labelCols: number | undefined;
  const firstBody = dense[headerRows];
  if (firstBody !== undefined && firstBody[0]?.header === true) {
    labelCols = 0;
    while (labelCols < firstBody.length - 1 && firstBody[labelCols]?.header === true) labelCols++;
  }
  // pandas writes index names in a header row whose data cells are empty.
  const ctx: string[] = [caption];
  for (let r = 0; r < headerRows; r++) ctx.push((dense[r] ?? []).map((x) => x.text).join(' '));
  return gridToTable(mime, dense, headerRows, ctx.join(' '), labelCols);
}
