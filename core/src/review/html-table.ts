/**
 * Extracts tables from HTML (pandas `to_html`, Styler, hand-written), expanding rowspan/colspan
 * so pivot tables with spanned labels map every data cell to its row and column labels.
 */
import { normalize } from './normalize.js';
import { gridToTable, type GridCell, type Table } from './table.js';

const TAG = /<(\/?)(table|thead|tbody|tfoot|tr|td|th|caption)\b([^<>]*)>/gi;
const MAX_TABLES = 50;
const MAX_CELLS = 200_000;

const ROWSPAN = /rowspan\s*=\s*["']?(\d+)/i;
const COLSPAN = /colspan\s*=\s*["']?(\d+)/i;
const PLAIN_CELL = /^[\x20-\x25\x27-\x3b\x3d-\x7e\t\n\r]*$/; // ASCII without '<' and '&'

function span(attrs: string, re: RegExp): number {
  if (attrs.length < 8) return 1;
  const m = re.exec(attrs);
  const v = m === null ? 1 : Number(m[1]);
  return v >= 1 && v <= 1000 ? v : 1;
}

function cellText(raw: string): string {
  if (raw.length < 40 && PLAIN_CELL.test(raw)) return raw.trim();
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
  const find = (needle: string, at: number): number => {
    const a = html.indexOf(needle, at);
    const b = html.indexOf(needle.toUpperCase(), at);
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
  TAG.lastIndex = 0;
  for (let m = TAG.exec(src); m !== null && cells < MAX_CELLS; m = TAG.exec(src)) {
    const closing = m[1] === '/';
    const name = (m[2] ?? '').toLowerCase();
    if (name === 'caption') {
      if (!closing) captionStart = TAG.lastIndex;
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
        cell = { start: TAG.lastIndex, header: name === 'th', attrs: m[3] ?? '' };
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
