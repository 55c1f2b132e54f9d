/**
 * Why: SVG draws its words one text element at a time — `<text>` (with its inline `<tspan>`,
 * `<textPath>` and `<a>`), and `<title>`/`<desc>`, shown as tooltips — placed by coordinates, not
 * by the order of lines. The tag passes of `stripTags` read that text for identifiers, but a
 * count drawn as a chart label ("2" over a bar) or a table of counts drawn as rows of `<text>` at
 * one `y` is neither prose nor a table there. This module reads SVG text as drawn: one token per
 * text element (a `<tspan>` or `<textPath>` with its own `x` or `y` starts another), character
 * references decoded, CDATA as written, white space collapsed as SVG draws it; tokens written one
 * after another at the same `y` form one line (a table row, cells two spaces apart). That `y` is
 * where the token is drawn: its `y`/`dy` (first of a list) and the `translate(…)` of its own and its
 * containers' transforms added up (svg-position.ts); where that cannot be read for certain (a turn,
 * a scale, `em`, CSS that may move text), tokens are joined as before, by the `y` written. A token
 * that is a bare number outside a legend group is a label drawn on the picture: the count rule
 * reads it — also in a group naming a tick or axis (as matplotlib, plotly, vega and d3 write them)
 * unless the numbers of that axis read as its tick labels (svg-axis.ts).
 * One walk over the '<' signs (linear; comments skipped as a browser ends them, an unclosed
 * quoted attribute ends the reading: nothing after it is drawn). In HTML only `<svg>` content is
 * read, raw-text elements (`<script>`, `<textarea>` …) outside it skipped.
 */
import { decodeEntities } from './entities.js';
import { foldUnicode } from './normalize.js';
import { looksLikeAxis, tickValue } from './svg-axis.js';
import { EXEMPT, isContainer, LABEL, Placement, type PlacedTag } from './svg-position.js';
import { parseCount } from './table.js';

/** SVG text as drawn: rows of tokens, and the tokens that are bare numbers drawn as labels. */
export interface SvgText {
  /** One line per row: the tokens of one `y` written one after another, two spaces apart. */
  rows: string;
  /** The tokens that are bare counts drawn as labels (outside legends and tick labels of axes). */
  labels: SvgLabel[];
}

/** A token that is a count as drawn (a bare whole number, digits folded as the scanners fold them). */
export interface SvgLabel {
  /** Its line in `rows` and its place in that line (from 0). */
  row: number;
  column: number;
  value: number;
}

/** HTML elements whose text runs unparsed to their end tag (outside `<svg>`, where nothing is read). */
const RAW_TEXT = new Set([
  'script',
  'style',
  'textarea',
  'title',
  'xmp',
  'iframe',
  'noembed',
  'noframes',
  'noscript',
]);

/** Runs of the white space SVG collapses (space, tab, line ends, form feed). */
const XML_SPACES = /[ \t\n\f\r]+/g;

const isHtmlSpace = (c: number): boolean => c === 32 || c === 9 || c === 10 || c === 12 || c === 13;
const isAsciiLetter = (c: number): boolean => (c | 32) >= 97 && (c | 32) <= 122;

/** A start or end tag as read: its name (lower case), what ends it, and the attributes kept. */
interface Tag extends PlacedTag {
  name: string;
  /** Index after its '>'. */
  end: number;
  selfClosing: boolean;
}

/** Lengths of the attribute names kept (x, y; id, dy; class; viewBox; transform): 1 marks one. */
const WANTED_LENGTH = [0, 1, 1, 0, 0, 1, 0, 1, 0, 1];

/** The end of the name that starts at `k` (up to a space, '/' or '>'). */
function nameEnd(s: string, k: number): number {
  while (k < s.length) {
    const c = s.charCodeAt(k);
    if (isHtmlSpace(c) || c === 47 || c === 62) break;
    k++;
  }
  return k;
}

/**
 * The tag whose name starts at `a` (after '<' or '</'), read as a browser reads it (quoted values
 * may hold '>'), or undefined when a quoted value runs to the end (nothing after it is drawn).
 */
function readTag(s: string, a: number): Tag | undefined {
  const n = s.length;
  let k = nameEnd(s, a);
  const tag: Tag = {
    name: s.slice(a, k).toLowerCase(),
    end: n,
    selfClosing: false,
    x: undefined,
    y: undefined,
    dy: undefined,
    transform: undefined,
    viewBox: undefined,
    groupWords: '',
  };
  while (k < n) {
    let c = s.charCodeAt(k);
    if (isHtmlSpace(c) || c === 47) {
      tag.selfClosing = c === 47;
      k++;
      continue;
    }
    if (c === 62) {
      tag.end = k + 1;
      return tag;
    }
    tag.selfClosing = false;
    const nameStart = k++;
    while (k < n) {
      c = s.charCodeAt(k);
      if (isHtmlSpace(c) || c === 47 || c === 62 || c === 61) break;
      k++;
    }
    const attr = WANTED_LENGTH[k - nameStart] === 1 ? s.slice(nameStart, k).toLowerCase() : '';
    while (k < n && isHtmlSpace(s.charCodeAt(k))) k++;
    if (s.charCodeAt(k) !== 61) continue;
    k++;
    while (k < n && isHtmlSpace(s.charCodeAt(k))) k++;
    const q = s.charCodeAt(k);
    let v: number;
    let e: number;
    if (q === 34 || q === 39) {
      v = k + 1;
      e = s.indexOf(q === 34 ? '"' : "'", v);
      if (e < 0) return undefined;
      k = e + 1;
    } else {
      v = k;
      while (k < n && !isHtmlSpace(s.charCodeAt(k)) && s.charCodeAt(k) !== 62) k++;
      e = k;
    }
    if (attr === 'x') tag.x = s.slice(v, e);
    else if (attr === 'y') tag.y = s.slice(v, e).trim();
    else if (attr === 'id' || attr === 'class') tag.groupWords += ` ${s.slice(v, e)}`;
    else if (attr === 'dy') tag.dy = s.slice(v, e);
    else if (attr === 'transform') tag.transform = s.slice(v, e);
    else if (attr === 'viewbox') tag.viewBox = s.slice(v, e);
  }
  return tag;
}

/**
 * Where a comment that starts at `i` (`<!--`) ends, as a browser ends it (`<!-->`, `--!>`);
 * `bang` keeps the next `--!>` found (-2: not looked for yet), so comments are searched once.
 */
function commentEnd(s: string, i: number, bang: { at: number }): number {
  if (s.startsWith('<!-->', i)) return i + 5;
  if (s.startsWith('<!--->', i)) return i + 6;
  const plain = s.indexOf('-->', i + 4);
  if (bang.at !== -1 && bang.at < i + 4) bang.at = s.indexOf('--!>', i + 4);
  const b = bang.at;
  if (plain < 0 && b < 0) return s.length;
  return b >= 0 && (plain < 0 || b < plain) ? b + 4 : plain + 3;
}

/** Collects tokens into rows (see SvgText). */
class Rows {
  private readonly lines: string[] = [];
  private line: string[] = [];
  /** Where the current line's first token is drawn (see `start`). */
  private lineAt: number | undefined;
  private lineY: string | undefined;
  private readonly labels: SvgLabel[] = [];
  /** For each label, its axis key (0: none); and the numbers drawn in each axis. */
  private readonly labelAxis: number[] = [];
  private readonly axes = new Map<number, number[]>();
  /** Raw pieces of the token being read: text (character references undecoded) and CDATA. */
  private pieces: string[] = [];
  private cdata: boolean[] = [];
  private tokenAt: number | undefined;
  private tokenY: string | undefined;
  private tokenKey = LABEL;

  /**
   * Starts a token drawn at `at` (its `y` as drawn, undefined when not known) with `y` written
   * (a `<title>`/`<desc>` has neither); `key`: EXEMPT, LABEL or its axis.
   */
  start(at: number | undefined, y: string | undefined, key: number): void {
    this.finish();
    this.tokenAt = at;
    this.tokenY = y;
    this.tokenKey = key;
  }

  /** Adds text of the current token (`literal`: CDATA, drawn as written). */
  add(piece: string, literal: boolean): void {
    if (piece === '') return;
    this.pieces.push(piece);
    this.cdata.push(literal);
  }

  /**
   * Ends the current token: placed on the current line when drawn at its `y` (both known), or
   * else written with the same `y`; otherwise on a new line.
   */
  finish(): void {
    if (this.pieces.length === 0) return;
    let text = '';
    for (let k = 0; k < this.pieces.length; k++) {
      const p = this.pieces[k] as string;
      text += this.cdata[k] === true ? p : decodeEntities(p);
    }
    this.pieces = [];
    this.cdata = [];
    const token = collapse(text);
    if (token === '') return;
    const at = this.tokenAt;
    const y = this.tokenY;
    const sameLine =
      this.line.length > 0 &&
      (at !== undefined && this.lineAt !== undefined
        ? at === this.lineAt
        : y !== undefined && y !== '' && y === this.lineY);
    if (!sameLine) this.newLine(at, y);
    const key = this.tokenKey;
    if (key !== EXEMPT && token.length <= 24) {
      const folded = foldUnicode(token).trim();
      const tick = key === LABEL ? undefined : tickValue(folded);
      if (tick !== undefined) this.axisValues(key).push(tick);
      const value = parseCount(folded);
      if (value !== undefined) {
        this.labels.push({ row: this.lines.length, column: this.line.length, value });
        this.labelAxis.push(tick === undefined ? LABEL : key);
      }
    }
    // Character references are decoded here: '&' is written as one, so `normalize` decodes no more.
    this.line.push(token.indexOf('&') < 0 ? token : token.replace(/&/g, '&amp;'));
  }

  private axisValues(key: number): number[] {
    let values = this.axes.get(key);
    if (values === undefined) this.axes.set(key, (values = []));
    return values;
  }

  private newLine(at: number | undefined, y: string | undefined): void {
    if (this.line.length > 0) this.lines.push(this.line.join('  '));
    this.line = [];
    this.lineAt = at;
    this.lineY = y;
  }

  /** The rows read (the current token ended). */
  text(): string {
    this.finish();
    this.newLine(undefined, undefined);
    return this.lines.join('\n');
  }

  /** The labels drawn: those in an axis only when its numbers do not read as tick labels. */
  drawnLabels(): SvgLabel[] {
    if (this.axes.size === 0) return this.labels;
    const ticks = new Set<number>();
    for (const [key, values] of this.axes) if (looksLikeAxis(values)) ticks.add(key);
    return this.labels.filter((_, k) => !ticks.has(this.labelAxis[k] as number));
  }
}

/**
 * SVG's white space as drawn: runs of spaces, tabs and line ends as one space, none at the ends
 * (other Unicode spaces are drawn as they are; the label test folds and trims them).
 */
function collapse(text: string): string {
  const t = text.replace(XML_SPACES, ' ');
  const a = t.charCodeAt(0) === 32 ? 1 : 0;
  const b = t.length > a && t.charCodeAt(t.length - 1) === 32 ? t.length - 1 : t.length;
  return t.slice(a, b);
}

/**
 * The text an SVG draws (`whole`: the markup is an SVG document; else HTML or Markdown, where only
 * `<svg>` content is read), or undefined when it draws none.
 */
export function svgText(markup: string, whole: boolean): SvgText | undefined {
  if (!whole && !/<svg[\s/>]/i.test(markup)) return undefined;
  const s = markup;
  const n = s.length;
  const rows = new Rows();
  const place = new Placement(s);
  let svg = whole ? 1 : 0;
  /** Depth in `<text>` elements, and in `<title>`/`<desc>`. */
  let text = 0;
  let tip = 0;
  const reading = (): boolean => svg > 0 && (text > 0 || tip > 0);
  const bang = { at: -2 };
  let pos = 0;
  while (pos < n) {
    const i = s.indexOf('<', pos);
    const stop = i < 0 ? n : i;
    if (stop > pos && reading()) rows.add(s.slice(pos, stop), false);
    if (i < 0) break;
    const c = s.charCodeAt(i + 1);
    if (c === 33) {
      if (s.startsWith('<!--', i)) {
        pos = commentEnd(s, i, bang);
      } else if (svg > 0 && s.startsWith('<![CDATA[', i)) {
        const e = s.indexOf(']]>', i + 9);
        if (reading()) rows.add(s.slice(i + 9, e < 0 ? n : e), true);
        pos = e < 0 ? n : e + 3;
      } else {
        const e = s.indexOf('>', i + 2);
        pos = e < 0 ? n : e + 1;
      }
      continue;
    }
    if (c === 63 || (c === 47 && !isAsciiLetter(s.charCodeAt(i + 2)))) {
      // `<?…>` and `</ …>` are bogus comments; `</>` is dropped.
      const e = s.indexOf('>', i + 2);
      pos = e < 0 ? n : e + 1;
      continue;
    }
    if (!isAsciiLetter(c) && c !== 47) {
      if (reading()) rows.add('<', false); // a '<' drawn as text
      pos = i + 1;
      continue;
    }
    const closing = c === 47;
    const tag = readTag(s, i + (closing ? 2 : 1));
    if (tag === undefined) break;
    pos = tag.end;
    const name = tag.name;
    if (closing) {
      if (name === 'svg' && svg > (whole ? 1 : 0)) {
        svg--;
        place.leave('svg');
      }
      if (svg === 0) continue;
      if (
        (name === 'g' || name === 'switch' || (name === 'a' && text === 0)) &&
        place.isOpen(name)
      ) {
        place.leave(name);
      } else if (name === 'text' && text > 0) {
        if (--text === 0) rows.finish();
      } else if ((name === 'title' || name === 'desc') && tip > 0) {
        if (--tip === 0)
          rows.start(
            text > 0 ? place.at() : undefined,
            text > 0 ? place.textY : undefined,
            place.textKey,
          );
      }
      continue;
    }
    if (svg === 0) {
      if (name === 'svg' && !tag.selfClosing) {
        svg = 1;
        place.enter('svg', tag);
      } else if (name === 'plaintext')
        break; // text to the end, drawn as written
      else if (RAW_TEXT.has(name)) pos = rawTextEnd(s, pos, name);
      continue;
    }
    if (tag.selfClosing) continue;
    switch (name) {
      case 'svg':
        svg++;
        place.enter('svg', tag);
        break;
      case 'text':
        if (text++ === 0) {
          place.startText(tag);
          rows.start(place.at(), place.textY, place.textKey);
        }
        break;
      case 'tspan':
      case 'textpath':
        if (text > 0 && tip === 0) {
          place.moveText(name, tag);
          // Placed by its own coordinates: another token (on the row where it is drawn).
          if (tag.x !== undefined || tag.y !== undefined)
            rows.start(place.at(), tag.y ?? place.textY, place.textKey);
        }
        break;
      case 'title':
      case 'desc':
        if (tip++ === 0) rows.start(undefined, undefined, place.key(''));
        break;
      default:
        if (isContainer(name) && (name !== 'a' || text === 0)) place.enter(name, tag);
        break;
    }
  }
  const drawn = rows.text();
  return drawn === '' ? undefined : { rows: drawn, labels: rows.drawnLabels() };
}

/** The index after the end tag of the raw-text element `name` whose text starts at `from`. */
function rawTextEnd(s: string, from: number, name: string): number {
  const end = new RegExp(`</${name}[\\s/>]`, 'gi');
  end.lastIndex = from;
  const m = end.exec(s);
  if (m === null) return s.length;
  const e = s.indexOf('>', m.index);
  return e < 0 ? s.length : e + 1;
}
