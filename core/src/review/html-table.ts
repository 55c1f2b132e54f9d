/**
 * Extracts tables from HTML (pandas `to_html`, Styler, hand-written), expanding rowspan/colspan
 * so pivot tables with spanned labels map every data cell to its row and column labels.
 */
import { normalize } from './normalize.js';
import { gridToTable, type GridCell, type Table } from './table.js';

/** A table tag: where it starts and ends, its lower-case name, whether it closes, its attributes. */
interface TagMatch {
  index: number;
  end: number;
  name: string;
  closing: boolean;
  attrs: string;
}

const isWordChar = (c: number): boolean =>
  (c >= 48 && c <= 57) || ((c | 32) >= 97 && (c | 32) <= 122) || c === 95;

const TABLE_TAG_NAMES = ['table', 'thead', 'tbody', 'tfoot', 'tr', 'td', 'th', 'caption'];

/** The table tag name `src[a..b)` spells (any case), or undefined; no string is built. */
function tableTagName(src: string, a: number, b: number): string | undefined {
  const len = b - a;
  if (len !== 2 && len !== 5 && len !== 7) return undefined;
  for (const name of TABLE_TAG_NAMES) {
    if (name.length !== len) continue;
    let k = 0;
    while (k < len && (src.charCodeAt(a + k) | 32) === name.charCodeAt(k)) k++;
    if (k === len) return name;
  }
  return undefined;
}

/**
 * The next match of `<(\/?)(table|thead|tbody|tfoot|tr|td|th|caption)\b([^<>]*)>`/gi at or
 * after `from`, found by hand from the '<' signs (no match arrays for the tags that do not count).
 */
export function nextTag(src: string, from: number): TagMatch | undefined {
  for (let i = src.indexOf('<', from); i >= 0; i = src.indexOf('<', i + 1)) {
    let k = i + 1;
    const closing = src.charCodeAt(k) === 47;
    if (closing) k++;
    const nameStart = k;
    while (k < src.length && isWordChar(src.charCodeAt(k))) k++;
    const name = tableTagName(src, nameStart, k);
    if (name === undefined) continue;
    let e = k;
    while (e < src.length) {
      const c = src.charCodeAt(e);
      if (c === 60 || c === 62) break;
      e++;
    }
    if (src.charCodeAt(e) !== 62) continue;
    return { index: i, end: e + 1, name, closing, attrs: e > k ? src.slice(k, e) : '' };
  }
  return undefined;
}
const MAX_TABLES = 50;
const MAX_CELLS = 200_000;

const ROWSPAN = /rowspan\s*=\s*["']?(\d+)/i;
const COLSPAN = /colspan\s*=\s*["']?(\d+)/i;

function span(attrs: string, re: RegExp): number {
  if (attrs.length < 8) return 1;
  const m = re.exec(attrs);
  const v = m === null ? 1 : Number(m[1]);
  return v >= 1 && v <= 1000 ? v : 1;
}

/**
 * True if a cell needs no normalization: only printable ASCII without '<' and '&', tab, newline
 * and CR (`/^[\x20-\x25\x27-\x3b\x3d-\x7e\t\n\r]*$/`, by hand: it runs once per table cell).
 */
export function plainCell(raw: string): boolean {
  for (let k = 0; k < raw.length; k++) {
    const c = raw.charCodeAt(k);
    if (c >= 0x20 && c <= 0x7e ? c === 0x26 || c === 0x3c : c !== 9 && c !== 10 && c !== 13)
      return false;
  }
  return true;
}

function cellText(raw: string): string {
  if (raw.length < 40 && plainCell(raw)) return raw.trim();
  return normalize(raw, { markup: true }).text.replace(/\s+/g, ' ').trim();
}

interface RawCell {
  text: string;
  header: boolean;
  rowspan: number;
  colspan: number;
}

/** All tables of an HTML document (nested tables are read as separate, flattened tables). */
export function htmlTables(html: string, mime: string): Table[] {
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
    const b = indexFrom(needle.toUpperCase(), at);
    return a < 0 ? b : b < 0 ? a : Math.min(a, b);
  };
  for (let t = 0; t < MAX_TABLES; t++) {
    const start = find('<table', from);
    if (start < 0) break;
    let end = find('</table', start);
    if (end < 0) end = html.length;
    const table = parseTable(html.slice(start, end), mime);
    if (table !== undefined) tables.push(table);
    from = end + 1;
  }
  return tables;
}

function parseTable(src: string, mime: string): Table | undefined {
  const rows: RawCell[][] = [];
  const headRow: boolean[] = [];
  let caption = '';
  let inHead = false;
  let row: RawCell[] | undefined;
  let cell: { start: number; header: boolean; attrs: string } | undefined;
  let captionStart = -1;
  let cells = 0;
  const closeCell = (at: number): void => {
    if (cell !== undefined && row !== undefined) {
      row.push({
        text: cellText(src.slice(cell.start, at)),
        header: cell.header,
        rowspan: span(cell.attrs, ROWSPAN),
        colspan: span(cell.attrs, COLSPAN),
      });
      cells++;
    }
    cell = undefined;
  };
  const closeRow = (at: number): void => {
    closeCell(at);
    if (row !== undefined) {
      rows.push(row);
      headRow.push(inHead);
    }
    row = undefined;
  };
  for (let m = nextTag(src, 0); m !== undefined && cells < MAX_CELLS; m = nextTag(src, m.end)) {
    const closing = m.closing;
    const name = m.name;
    if (name === 'caption') {
      if (!closing) captionStart = m.end;
      else if (captionStart >= 0) caption += ' ' + cellText(src.slice(captionStart, m.index));
    } else if (name === 'thead') {
      closeRow(m.index);
      inHead = !closing;
    } else if (name === 'tbody' || name === 'tfoot') {
      closeRow(m.index);
      inHead = false;
    } else if (name === 'tr') {
      closeRow(m.index);
      if (!closing) row = [];
    } else if (name === 'td' || name === 'th') {
      closeCell(m.index);
      if (!closing) {
        if (row === undefined) row = [];
        cell = { start: m.end, header: name === 'th', attrs: m.attrs };
      }
    }
  }
  closeRow(src.length);
  if (rows.length === 0) return undefined;
  // Expand spans into a dense grid (fast path: no spans at all).
  const spanned = rows.some((r) => r.some((c) => c.rowspan > 1 || c.colspan > 1));
  const dense: GridCell[][] = spanned ? expand(rows) : rows;
  return finish(dense, headRow, caption, mime);
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
