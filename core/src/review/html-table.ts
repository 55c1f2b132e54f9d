/**
 * Extracts tables from HTML (pandas `to_html`, Styler, hand-written), expanding rowspan/colspan
 * so pivot tables with spanned labels map every data cell to its row and column labels. Tables
 * nested in a cell are read as tables of their own: their rows never end or join the outer table.
 */
import { cellText } from './html-tags.js';
import { gridToTable, type GridCell, type OnPartial, type Table } from './table.js';

export { nextTag, plainCell, type TagMatch } from './html-tags.js';

const MAX_CELLS = 200_000;
/**
 * Most cells of a table once its spans are expanded and its rows padded to its widest row: a few
 * `colspan=1000` cells, or one very wide row over many short ones, would otherwise grow a grid of
 * billions of cells from a small document.
 */
const MAX_GRID = 4_000_000;
/**
 * Deepest table nesting read as separate tables; deeper `<table>` tags are counted (so their
 * `</table>` tags still match) and their rows read into the deepest table. Browsers stop nesting
 * elements at a similar depth (Chrome at 512), and the stack stays small on hostile input.
 */
const MAX_DEPTH = 256;
/** Longest context a nested table inherits from the tables around it. */
const INHERITED_CONTEXT = 400;
/** Header rows of an outer table that a nested table's context may quote. */
const CONTEXT_ROWS = 20;

/**
 * A table tag that can start a table's reading outside every table: `<table` (which opens one) or
 * a row or cell start tag (which reopens the table that just closed). A start tag's name ends at
 * whitespace, '/' or '>' (`<table-x>` is another element), and HTML tag names have no case.
 */
const OUTSIDE_TABLES = /<(?:table|t[rdh])[\t\n\f\r />]/gi;

const ROWSPAN = /rowspan\s*=\s*["']?(\d+)/i;
const COLSPAN = /colspan\s*=\s*["']?(\d+)/i;

function span(attrs: string, re: RegExp): number {
  if (attrs.length < 8) return 1;
  const m = re.exec(attrs);
  const v = m === null ? 1 : Number(m[1]);
  return v >= 1 && v <= 1000 ? v : 1;
}

// Table tag names as numbers (compared once per tag); module-local, as imported bindings would be
// read through accessors in the hot loop under some module loaders.
const TABLE = 1;
const THEAD = 2;
const TBODY = 3;
const TFOOT = 4;
const TR = 5;
const TD = 6;
const TH = 7;
const CAPTION = 8;
type TagName = 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8;

/** A tag read by `readMarkup`: a table tag name (0 for any other markup) and where it ends. */
interface MarkupTag {
  name: TagName | 0;
  closing: boolean;
  /** Start of the attribute text (just after the name). */
  attrsStart: number;
  /** Index of the tag's closing '>'. */
  close: number;
  /** True for `<x/>` (which only `<svg>` and `<math>` honour here). */
  selfClosing: boolean;
  /** The tag name `html[nameStart..nameEnd)`; empty for a comment or other non-tag markup. */
  nameStart: number;
  nameEnd: number;
  /** For a raw text element: whether its content is drawn (`<textarea>`, `<xmp>`). */
  rawDrawn: boolean;
}

/** HTML whitespace as the tokenizer sees it (CR is read as LF before tokenizing). */
const isSpace = (c: number): boolean => c === 32 || c === 10 || c === 9 || c === 12 || c === 13;
/** A tag name ends at whitespace, '/' or '>' (`<table-x>` and `<td:x>` are other elements). */
const endsName = (c: number): boolean => c === 62 || c === 47 || isSpace(c);
const isAlpha = (c: number): boolean => (c | 32) >= 97 && (c | 32) <= 122;

/** True if `s` spells `word` (lower case) at `at`, in any ASCII case. */
function spells(s: string, at: number, word: string): boolean {
  for (let k = 0; k < word.length; k++)
    if ((s.charCodeAt(at + k) | 32) !== word.charCodeAt(k)) return false;
  return true;
}

/** The table tag name `src[a..b)` spells (any case), or 0. */
function tableTagName(src: string, a: number, b: number): TagName | 0 {
  const len = b - a;
  if ((src.charCodeAt(a) | 32) !== 116) return len === 7 && spells(src, a, 'caption') ? CAPTION : 0;
  if (len === 2) {
    const c = src.charCodeAt(a + 1) | 32;
    return c === 114 ? TR : c === 100 ? TD : c === 104 ? TH : 0;
  }
  if (len !== 5) return 0;
  if (spells(src, a, 'table')) return TABLE;
  if (spells(src, a, 'thead')) return THEAD;
  if (spells(src, a, 'tbody')) return TBODY;
  return spells(src, a, 'tfoot') ? TFOOT : 0;
}

/**
 * Elements whose content is text up to their end tag (a `</table>` in them closes nothing); in
 * HTML only: inside `<svg>` or `<math>` none is.
 */
const RAW_TEXT = ['script', 'style', 'textarea', 'title', 'xmp', 'iframe', 'noembed', 'noframes'];
RAW_TEXT.push('noscript'); // raw text where scripting is on, as in every notebook front end

/** The raw text element `src[a..b)` names, or undefined. */
function rawTextName(src: string, a: number, b: number): string | undefined {
  for (const name of RAW_TEXT) if (b - a === name.length && spells(src, a, name)) return name;
  return undefined;
}

/**
 * HTML start tags that end `<svg>`/`<math>` content where they appear in it (the HTML standard's
 * list, without `font`, which does so only with some attributes: staying in foreign content errs
 * towards reading more tags, never fewer).
 */
const BREAKOUT = new Set(
  (
    'b big blockquote body br center code dd div dl dt em embed h1 h2 h3 h4 h5 h6 head hr i img ' +
    'li listing menu meta nobr ol p pre ruby s small span strong strike sub sup table tt u ul var'
  ).split(' '),
);

/** What the tag walk knows across tags: how deep it is in `<svg>`/`<math>` content. */
interface WalkState {
  foreign: number;
}

/** Where the text after a comment whose '<!--' ends before `k` starts (the tokenizer's rules). */
function commentEnd(html: string, k: number): number {
  if (html.charCodeAt(k) === 62) return k + 1; // '<!-->'
  if (html.charCodeAt(k) === 45 && html.charCodeAt(k + 1) === 62) return k + 2; // '<!--->'
  for (let j = html.indexOf('--', k); j >= 0; j = html.indexOf('--', j + 1)) {
    if (html.charCodeAt(j + 2) === 62) return j + 3; // '-->'
    if (html.charCodeAt(j + 2) === 33 && html.charCodeAt(j + 3) === 62) return j + 4; // '--!>'
  }
  return html.length;
}

/** Where the text after a bogus comment ('<!x', '<?', '</1') from `k` starts: after its '>'. */
function bogusEnd(html: string, k: number): number {
  const j = html.indexOf('>', k);
  return j < 0 ? html.length : j + 1;
}

/**
 * The index of the '>' that ends a tag whose attributes start at `k`, or -1 if the document ends
 * first; sets `t.selfClosing`. Quoted attribute values are skipped whole: a '<' or '>' inside one
 * ends nothing.
 */
function tagClose(html: string, k: number, t: MarkupTag): number {
  const n = html.length;
  t.selfClosing = false;
  for (;;) {
    const from = k;
    while (k < n && (isSpace(html.charCodeAt(k)) || html.charCodeAt(k) === 47)) k++;
    if (k >= n) return -1;
    if (html.charCodeAt(k) === 62) {
      t.selfClosing = k > from && html.charCodeAt(k - 1) === 47;
      return k;
    }
    k++; // an attribute name's first character, even '=' or a quote
    for (let c = html.charCodeAt(k); k < n && c !== 61 && !endsName(c); c = html.charCodeAt(++k));
    while (k < n && isSpace(html.charCodeAt(k))) k++;
    if (html.charCodeAt(k) !== 61) continue; // no value: '/', '>' or the next name
    k++;
    while (k < n && isSpace(html.charCodeAt(k))) k++;
    const q = html.charCodeAt(k);
    if (q === 34 || q === 39) {
      const e = html.indexOf(q === 34 ? '"' : "'", k + 1);
      if (e < 0) return -1;
      k = e + 1;
    } else if (q === 62) return k;
    else for (let c = q; k < n && c !== 62 && !isSpace(c); c = html.charCodeAt(++k));
  }
}

/**
 * Reads the markup at the '<' at `i` as an HTML tokenizer does: fills `t` (name 0 for anything
 * but a table tag) and returns where the text after it starts. Comments, bogus comments, quoted
 * attribute values, CDATA in `<svg>`/`<math>` and the content of raw text elements are skipped
 * whole, so a `</table>` or `<td>` written inside them is not read as a tag (a browser does not
 * draw it as one).
 */
function readMarkup(html: string, i: number, t: MarkupTag, walk: WalkState): number {
  // The usual row and cell tags, `<td>` to `</tr>` without attributes, read at once (the walk
  // below reads them alike: a table tag name of two letters, then '>').
  const slash = html.charCodeAt(i + 1) === 47 ? 1 : 0;
  const a = i + 1 + slash;
  if ((html.charCodeAt(a) | 32) === 116 && html.charCodeAt(a + 2) === 62) {
    const second = html.charCodeAt(a + 1) | 32;
    const name = second === 100 ? TD : second === 104 ? TH : second === 114 ? TR : 0;
    if (name !== 0) {
      t.name = name;
      t.nameStart = a;
      t.nameEnd = t.attrsStart = t.close = a + 2;
      t.closing = slash === 1;
      t.selfClosing = false;
      t.rawDrawn = false;
      if (slash === 1) walk.foreign = 0; // a table end tag closes the foreign content in the cell
      return a + 3;
    }
  }
  t.name = 0;
  t.nameStart = t.nameEnd = 0;
  t.rawDrawn = false;
  let k = i + 1;
  const c = html.charCodeAt(k);
  if (c === 33) {
    if (html.charCodeAt(k + 1) === 45 && html.charCodeAt(k + 2) === 45)
      return commentEnd(html, k + 3);
    if (walk.foreign > 0 && html.startsWith('[CDATA[', k + 1)) {
      const e = html.indexOf(']]>', k + 8);
      return e < 0 ? html.length : e + 3;
    }
    return bogusEnd(html, k + 1);
  }
  if (c === 63) return bogusEnd(html, k + 1); // '<?'
  const closing = c === 47;
  if (closing) {
    const d = html.charCodeAt(++k);
    if (d === 62) return k + 1; // '</>' is dropped
    if (!isAlpha(d)) return bogusEnd(html, k);
  } else if (!isAlpha(c)) return i + 1; // a '<' in text
  const nameStart = k;
  while (k < html.length && !endsName(html.charCodeAt(k))) k++;
  const close = tagClose(html, k, t);
  if (close < 0) return html.length; // the document ends inside the tag: it is dropped
  const name = tableTagName(html, nameStart, k);
  t.name = name;
  t.nameStart = nameStart;
  t.nameEnd = k;
  t.closing = closing;
  t.attrsStart = k;
  t.close = close;
  if (name !== 0) {
    // A table end tag closes the foreign content in the cell; `<table>` breaks out of it.
    if (closing || name === TABLE) walk.foreign = 0;
    return close + 1;
  }
  const len = k - nameStart;
  const svg = len === 3 && spells(html, nameStart, 'svg');
  if (svg || (len === 4 && spells(html, nameStart, 'math'))) {
    if (closing) walk.foreign = Math.max(0, walk.foreign - 1);
    else if (!t.selfClosing) walk.foreign++; // `<svg/>` holds nothing
    return close + 1;
  }
  if (closing) return close + 1;
  if (walk.foreign > 0) {
    if (BREAKOUT.has(html.slice(nameStart, k).toLowerCase())) walk.foreign = 0;
    else return close + 1;
  }
  const raw = rawTextName(html, nameStart, k);
  if (raw === undefined) return close + 1;
  t.rawDrawn = raw === 'textarea' || raw === 'xmp';
  return rawTextEnd(html, close + 1, raw);
}

/** Where the end tag of raw text element `name` whose content starts at `k` starts (or the end). */
function rawTextEnd(html: string, k: number, name: string): number {
  for (let j = html.indexOf('</', k); j >= 0; j = html.indexOf('</', j + 2))
    if (spells(html, j + 2, name) && endsName(html.charCodeAt(j + 2 + name.length))) return j;
  return html.length;
}

/**
 * What the markup `html[i..next)` read by `readMarkup` contributes to a cell's text: a tag without
 * its attributes (their values are not drawn, and a quote in one must not reach the cell's text),
 * the drawn content of `<textarea>`/`<xmp>` as text, and nothing for comments or for the content
 * of `<script>`, `<style>` and the other raw text elements, which draw nothing.
 */
function canonicalMarkup(html: string, next: number, t: MarkupTag): string {
  if (t.nameEnd === t.nameStart) return '';
  const tag = `<${t.closing ? '/' : ''}${html.slice(t.nameStart, t.nameEnd)}>`;
  if (!t.rawDrawn || t.close + 1 >= next) return tag;
  const drawn = html
    .slice(t.close + 1, next)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;');
  return `${tag}${drawn}`;
}

/** A cell as read: its spans only when either is not 1 (most cells: two fields, no more). */
interface RawCell {
  text: string;
  header: boolean;
  rowspan?: number;
  colspan?: number;
}

/** Most cells a new row is made room for at once (the length of the row before it, up to this). */
const ROW_ROOM = 64;

/** True if the first cells of `row` (up to CONTEXT_ROWS) are all header cells. */
function headerCells(row: readonly RawCell[]): boolean {
  for (let c = 0; c < row.length && c < CONTEXT_ROWS; c++)
    if (row[c]?.header !== true) return false;
  return true;
}

/** The state of one table's tag walk: rows so far, the open row and cell, the caption. */
class TableReader {
  readonly rows: RawCell[][] = [];
  readonly headRow: boolean[] = [];
  caption = '';
  inHead = false;
  row: RawCell[] | undefined = undefined;
  /** Cells in the open row (its array is made with room for as many as the row before it). */
  rowLength = 0;
  private lastRowLength = 0;
  cellOpen = false;
  /** Start of the open cell's current text, or -1 while a nested table interrupts it. */
  cellStart = -1;
  /**
   * The open cell's text so far when it holds markup or nested tables: raw text with each tag
   * rewritten by `canonicalMarkup` and each nested table as a line break (undefined: none yet, the
   * cell's text is still one slice of the document).
   */
  cellParts: string[] | undefined = undefined;
  cellHeader = false;
  cellRowspan = 1;
  cellColspan = 1;
  captionStart = -1;
  cells = 0;
  /** True once the table passed MAX_CELLS: its other tags are not read. */
  cut = false;
  /** Where its `</table>` was, once closed outside every table (it may still reopen). */
  closedAt = -1;
  private childContext: string | undefined = undefined;
  private childContextKey = '';
  constructor(
    readonly html: string,
    /** Where this table's result goes in the list of tables (document order of the starts). */
    readonly slot: number,
    /** Context of the tables this one is nested in (their captions and headers). */
    readonly inherited: string,
  ) {}

  /** Closes the open cell (its text ends at `at`). */
  closeCell(at: number): void {
    if (this.cellOpen && this.row !== undefined) {
      let text: string;
      if (this.cellParts === undefined) text = cellText(this.html, this.cellStart, at);
      else {
        if (this.cellStart >= 0) this.cellParts.push(this.html.slice(this.cellStart, at));
        const raw = this.cellParts.join('');
        text = cellText(raw, 0, raw.length);
      }
      const header = this.cellHeader;
      this.row[this.rowLength++] =
        this.cellRowspan === 1 && this.cellColspan === 1
          ? { text, header }
          : { text, header, rowspan: this.cellRowspan, colspan: this.cellColspan };
      this.cells++;
    }
    this.cellOpen = false;
    this.cellStart = -1;
    this.cellParts = undefined;
  }

  /** Opens a row, with room for as many cells as the row before it had. */
  openRow(): void {
    this.row =
      this.lastRowLength === 0 ? [] : new Array<RawCell>(Math.min(this.lastRowLength, ROW_ROOM));
    this.rowLength = 0;
  }

  /** Closes the open cell and row. */
  closeRow(at: number): void {
    this.closeCell(at);
    const row = this.row;
    if (row !== undefined) {
      if (row.length !== this.rowLength) row.length = this.rowLength; // the room left unused
      this.lastRowLength = this.rowLength;
      this.rows.push(row);
      this.headRow.push(this.inHead);
    }
    this.row = undefined;
  }

  /** A nested table starts at `at`: the open cell's text pauses there (the table is a block). */
  pauseCell(at: number): void {
    if (!this.cellOpen || this.cellStart < 0) return;
    (this.cellParts ??= []).push(this.html.slice(this.cellStart, at), '<br>');
    this.cellStart = -1;
  }

  /** Markup other than table tags from `at` to `next` in the open cell: its canonical form. */
  markup(at: number, next: number, t: MarkupTag): void {
    if (!this.cellOpen || this.cellStart < 0) return;
    (this.cellParts ??= []).push(
      this.html.slice(this.cellStart, at),
      canonicalMarkup(this.html, next, t),
    );
    this.cellStart = next;
  }

  /** The nested table ended just before `at`: the open cell's text resumes there. */
  resumeCell(at: number): void {
    if (this.cellOpen) this.cellStart = at;
  }

  /**
   * What a table nested here inherits: this table's inherited context, caption, header rows and
   * the header cells of the open row. A table drawn inside the cell of a count column holds counts
   * as much as the column does (its own rows may have no header at all). Kept while the leading
   * rows and the caption are unchanged, and cut short, so nesting stays linear.
   */
  contextForChild(): string {
    const key = `${Math.min(this.rows.length, CONTEXT_ROWS)}|${this.caption.length}`;
    if (this.childContext === undefined || key !== this.childContextKey) {
      // Every part is cut to the limit, so this costs at most a few hundred characters per
      // change of the leading rows or the caption, however wide the header rows are.
      const parts: string[] = [this.inherited, this.caption.slice(0, INHERITED_CONTEXT)];
      let size = this.inherited.length + this.caption.length;
      const head = this.headRow[0] === true;
      for (let r = 0; r < this.rows.length && r < CONTEXT_ROWS && size < INHERITED_CONTEXT; r++) {
        const row = this.rows[r] ?? [];
        // The header rows as `finish` reads them: thead rows, or else rows of header cells
        // (judged by their first cells).
        if (head ? this.headRow[r] !== true : !headerCells(row)) break;
        for (let c = 0; c < row.length && size < INHERITED_CONTEXT; c++) {
          const text = row[c]?.text ?? '';
          parts.push(text);
          size += text.length + 1;
        }
      }
      this.childContext = parts.join(' ').slice(0, INHERITED_CONTEXT);
      this.childContextKey = key;
    }
    return this.currentRowContext(this.childContext);
  }

  /** `context` and the header cells (row labels) of the open row, cut to INHERITED_CONTEXT. */
  private currentRowContext(context: string): string {
    const row = this.row;
    if (row === undefined || context.length >= INHERITED_CONTEXT) return context;
    let out = context;
    for (let c = 0; c < row.length && c < CONTEXT_ROWS; c++) {
      const cell = row[c];
      if (cell?.header === true) out += ' ' + cell.text;
    }
    return out.slice(0, INHERITED_CONTEXT);
  }

  /** Applies the table tag `tag` (not `<table>` or `</table>`) that starts at `i`. */
  apply(tag: MarkupTag, i: number): void {
    const closing = tag.closing;
    const name = tag.name;
    if (name === TD || name === TH) {
      this.closeCell(i);
      if (!closing) {
        if (this.row === undefined) this.openRow();
        this.cellOpen = true;
        this.cellStart = tag.close + 1;
        this.cellHeader = name === TH;
        const attrs =
          tag.close - tag.attrsStart >= 8 ? this.html.slice(tag.attrsStart, tag.close) : '';
        this.cellRowspan = span(attrs, ROWSPAN);
        this.cellColspan = span(attrs, COLSPAN);
      }
    } else if (name === TR) {
      this.closeRow(i);
      if (!closing) this.openRow();
    } else if (name === CAPTION) {
      if (!closing) this.captionStart = tag.close + 1;
      else if (this.captionStart >= 0) {
        this.caption += ' ' + cellText(this.html, this.captionStart, i);
        // A second '</caption>' closes nothing (and must not read the same text again).
        this.captionStart = -1;
      }
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
 * All tables of an HTML document, in the order they start; a table nested in another is read as a
 * table of its own (with the outer table's headers as context), and the outer table reads on
 * after it. One walk over the '<' signs inside tables; between tables one regex finds the next.
 *
 * Tags are matched as a stack, as a browser does for a table in a cell: each `</table>` closes the
 * innermost open table, and rows go to the innermost open table. Where the HTML is misnested,
 * the reading errs towards reading rows rather than dropping them: a `<table>` directly in a
 * table (where a browser would close the outer table first) is nested as well, an unclosed table
 * ends at the end of the document, and row or cell tags after the last `</table>` (one the browser
 * may not see as a tag: inside an attribute, a comment or a script) reopen that table.
 */
export function htmlTables(html: string, mime: string, onPartial?: OnPartial): Table[] {
  const slots: (Table | undefined)[] = [];
  const stack: TableReader[] = [];
  const tag: MarkupTag = {
    name: 0,
    closing: false,
    attrsStart: 0,
    close: 0,
    selfClosing: false,
    nameStart: 0,
    nameEnd: 0,
    rawDrawn: false,
  };
  const walk: WalkState = { foreign: 0 };
  // `<table>` tags past MAX_DEPTH still open: their rows are read into the deepest table.
  let deeper = 0;
  let deepReported = false;
  // The last table closed outside every table: finished only once nothing can reopen it.
  let last: TableReader | undefined;
  const finishLast = (): void => {
    if (last !== undefined) slots[last.slot] = finish(last, last.closedAt, mime, onPartial);
    last = undefined;
  };
  let i = 0;
  for (;;) {
    let next: number;
    if (stack.length === 0) {
      OUTSIDE_TABLES.lastIndex = i;
      const m = OUTSIDE_TABLES.exec(html);
      if (m === null) break;
      i = m.index;
      walk.foreign = 0; // the tables around any foreign content have closed
      next = readMarkup(html, i, tag, walk);
      if (tag.name === 0) {
        i = next;
        continue;
      }
      if (tag.name !== TABLE) {
        if (last === undefined) {
          i = next;
          continue;
        }
        // A row or cell after the last table's end: read it as more rows of that table.
        stack.push(last);
        last = undefined;
      }
    } else {
      i = html.indexOf('<', i);
      if (i < 0) break;
      next = readMarkup(html, i, tag, walk);
      if (tag.name === 0) {
        if (next > i + 1) stack[stack.length - 1]?.markup(i, next, tag);
        i = next;
        continue;
      }
    }
    const top = stack[stack.length - 1];
    if (tag.name === TABLE) {
      if (!tag.closing) {
        if (stack.length >= MAX_DEPTH) {
          deeper++;
          if (!deepReported)
            onPartial?.(`tables nested more than ${MAX_DEPTH} deep in an HTML table`);
          deepReported = true;
        } else {
          if (top === undefined) finishLast();
          top?.pauseCell(i);
          const inherited = top === undefined ? '' : top.contextForChild();
          slots.push(undefined);
          stack.push(new TableReader(html, slots.length - 1, inherited));
        }
      } else if (deeper > 0) deeper--;
      else if (top !== undefined) {
        stack.pop();
        top.closeRow(i);
        const outer = stack[stack.length - 1];
        if (outer !== undefined) {
          slots[top.slot] = finish(top, i, mime, onPartial);
          outer.resumeCell(next);
        } else {
          top.closedAt = i;
          last = top;
        }
      }
    } else if (top !== undefined && !top.cut) {
      if (!tag.closing && (tag.name === TD || tag.name === TH)) {
        if (top.cells + (top.cellOpen ? 1 : 0) >= MAX_CELLS) {
          // The cap bounds memory: what is left of this table is not read, and the output is held.
          top.cut = true;
          top.closeRow(i);
          onPartial?.(
            `rows after the first ${MAX_CELLS.toLocaleString('en')} cells of an HTML table`,
          );
        }
      }
      if (!top.cut) top.apply(tag, i);
    }
    i = next;
  }
  finishLast();
  // Tables open at the end of the document end there, innermost first.
  for (let r = stack.pop(); r !== undefined; r = stack.pop())
    slots[r.slot] = finish(r, html.length, mime, onPartial);
  const tables: Table[] = [];
  for (const t of slots) if (t !== undefined) tables.push(t);
  return tables;
}

/**
 * The table `reader` read up to `end` (the start of its `</table>` or the document's end), or
 * undefined if it has no rows; `onPartial` hears when the expanded grid passed MAX_GRID.
 */
function finish(
  reader: TableReader,
  end: number,
  mime: string,
  onPartial: OnPartial | undefined,
): Table | undefined {
  reader.closeRow(end);
  const rows = reader.rows;
  if (rows.length === 0) return undefined;
  // Expand spans into a dense grid (fast path: no spans at all).
  const spanned = rows.some((r) => r.some((c) => (c.rowspan ?? 1) > 1 || (c.colspan ?? 1) > 1));
  const expanded = spanned ? expand(rows) : undefined;
  let dense: GridCell[][] = expanded?.grid ?? rows;
  let cut = expanded?.cut === true;
  // Rows are padded to the widest row when the table is built: that grid is bounded too.
  let width = 0;
  for (let r = 0; r < dense.length; r++) {
    width = Math.max(width, (dense[r] ?? []).length);
    if (width * (r + 1) > MAX_GRID) {
      dense = dense.slice(0, r);
      cut = true;
      break;
    }
  }
  if (cut)
    onPartial?.(
      `rows after the first ${MAX_GRID.toLocaleString('en')} cells (spans expanded) of an HTML table`,
    );
  if (dense.length === 0) return undefined;
  let headerRows = 0;
  const headRow = reader.headRow;
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
  const ctx: string[] = [reader.caption];
  if (reader.inherited !== '') ctx.unshift(reader.inherited);
  for (let r = 0; r < headerRows; r++) ctx.push((dense[r] ?? []).map((x) => x.text).join(' '));
  return gridToTable(mime, dense, headerRows, ctx.join(' '), labelCols);
}

/**
 * Spans expanded into a dense grid, up to the row where MAX_GRID cells are placed (`cut`: rows
 * were left out there; a cell may span 1000 columns and as many rows).
 */
function expand(rows: readonly RawCell[][]): { grid: GridCell[][]; cut: boolean } {
  const grid: GridCell[][] = [];
  let placed = 0;
  let cut = false;
  for (let ri = 0; ri < rows.length && !cut; ri++) {
    const g = (grid[ri] ??= []);
    let c = 0;
    for (const rc of rows[ri] ?? []) {
      const rowspan = rc.rowspan ?? 1;
      const colspan = rc.colspan ?? 1;
      while (g[c] !== undefined) c++;
      for (let dr = 0; dr < rowspan && ri + dr < rows.length; dr++) {
        const target = (grid[ri + dr] ??= []);
        for (let dc = 0; dc < colspan; dc++) target[c + dc] = { text: rc.text, header: rc.header };
        placed += colspan;
      }
      c += colspan;
      if (placed > MAX_GRID) {
        // The rows before this one are complete (spans from above included): keep those.
        grid.length = ri;
        cut = true;
        break;
      }
    }
  }
  const out = grid.map((r) => Array.from(r, (x) => x ?? { text: '', header: false }));
  return { grid: out, cut };
}
