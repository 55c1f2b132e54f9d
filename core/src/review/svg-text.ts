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
 * a scale, `em`, CSS that may move text), tokens are joined as before, by the `y` written. Tokens
 * whose drawn `y` and `x` are both known are also read a second time, as a grid (rows by `y`, each
 * by `x`), when that grid has a row the reading as written lacks — a table drawn column by column
 * (vega's text marks, d3 appending one column after another); tick labels and titles of an axis
 * that reads as one, and legends, are left out of it, and so are the body rows of a table the
 * reading as written already reads alike, so each table is reported once (svg-grid.ts). A token
 * that is a bare number is a label drawn on the picture: the count rule reads it — also in a group
 * naming a tick or axis (as matplotlib, plotly, vega and d3 write them) unless the numbers of that
 * axis read as its tick labels, and in a group naming a legend unless the numbers of that legend
 * read as its keys (a scale, or category codes: svg-axis.ts).
 * One walk over the '<' signs (linear; comments skipped as a browser ends them, an unclosed
 * quoted attribute ends the reading: nothing after it is drawn). In HTML only `<svg>` content is
 * read, raw-text elements (`<script>`, `<textarea>` …) outside it skipped.
 */
import {
  CONTAINER_A,
  CONTAINER_G,
  CONTAINER_SVG,
  CONTAINER_SWITCH,
  namesAt,
  Placement,
  type PlacedTag,
} from './svg-position.js';
import { Rows, type SvgText } from './svg-rows.js';

/** The rows and labels svgText reads (svg-rows.ts). */
export type { SvgLabel, SvgText } from './svg-rows.js';

/** Element names the reader acts on, by code (containers first: their codes are CONTAINER_*). */
const G = CONTAINER_G;
const A = CONTAINER_A;
const SVG = CONTAINER_SVG;
const SWITCH = CONTAINER_SWITCH;
const TEXT = 4;
const TSPAN = 5;
const TEXTPATH = 6;
const TITLE = 7;
const DESC = 8;
const PLAINTEXT = 9;
/** HTML elements whose text runs unparsed to their end tag (outside `<svg>`, where nothing is read). */
const RAW_TEXT = 10;
const OTHER = 11;

/**
 * Whether `word` (lower-case ASCII letters) is written from `k` in any case, as the lower-cased name
 * equals it: no character but an ASCII letter lower-cases to one of these names' letters (the
 * Kelvin sign lower-cases to 'k', which none of them has).
 */
function isWord(s: string, k: number, word: string): boolean {
  for (let j = 0; j < word.length; j++)
    if ((s.charCodeAt(k + j) | 32) !== word.charCodeAt(j)) return false;
  return true;
}

/** The code of the element name written from `a` to `e` (`title` is also a raw-text element). */
function nameCode(s: string, a: number, e: number): number {
  switch (e - a) {
    case 1: {
      const c = s.charCodeAt(a) | 32;
      return c === 103 ? G : c === 97 ? A : OTHER;
    }
    case 3:
      return isWord(s, a, 'svg') ? SVG : isWord(s, a, 'xmp') ? RAW_TEXT : OTHER;
    case 4:
      return isWord(s, a, 'text') ? TEXT : isWord(s, a, 'desc') ? DESC : OTHER;
    case 5:
      if (isWord(s, a, 'tspan')) return TSPAN;
      if (isWord(s, a, 'title')) return TITLE;
      return isWord(s, a, 'style') ? RAW_TEXT : OTHER;
    case 6:
      if (isWord(s, a, 'switch')) return SWITCH;
      return isWord(s, a, 'script') || isWord(s, a, 'iframe') ? RAW_TEXT : OTHER;
    case 7:
      return isWord(s, a, 'noembed') ? RAW_TEXT : OTHER;
    case 8:
      if (isWord(s, a, 'textpath')) return TEXTPATH;
      return isWord(s, a, 'textarea') || isWord(s, a, 'noframes') || isWord(s, a, 'noscript')
        ? RAW_TEXT
        : OTHER;
    case 9:
      return isWord(s, a, 'plaintext') ? PLAINTEXT : OTHER;
    default:
      return OTHER;
  }
}

/** Attributes kept, by code. */
const ATTR_X = 1;
const ATTR_Y = 2;
const ATTR_DY = 3;
const ATTR_WORDS = 4;
const ATTR_TRANSFORM = 5;
const ATTR_VIEWBOX = 6;
const ATTR_DX = 7;

/** The code of the attribute name written from `a` to `e` (0: not kept). */
function attributeCode(s: string, a: number, e: number): number {
  switch (e - a) {
    case 1: {
      const c = s.charCodeAt(a) | 32;
      return c === 120 ? ATTR_X : c === 121 ? ATTR_Y : 0;
    }
    case 2:
      if (isWord(s, a, 'dy')) return ATTR_DY;
      return isWord(s, a, 'dx') ? ATTR_DX : isWord(s, a, 'id') ? ATTR_WORDS : 0;
    case 5:
      return isWord(s, a, 'class') ? ATTR_WORDS : 0;
    case 7:
      return isWord(s, a, 'viewbox') ? ATTR_VIEWBOX : 0;
    case 9:
      return isWord(s, a, 'transform') ? ATTR_TRANSFORM : 0;
    default:
      return 0;
  }
}

const isHtmlSpace = (c: number): boolean => c === 32 || c === 9 || c === 10 || c === 12 || c === 13;
const isAsciiLetter = (c: number): boolean => (c | 32) >= 97 && (c | 32) <= 122;

/**
 * A start or end tag as read: its name (code, and where it is written), what ends it, and the
 * attributes kept. One is reused for every tag of a reading.
 */
interface Tag extends PlacedTag {
  code: number;
  nameFrom: number;
  nameTo: number;
  /** Index after its '>'. */
  end: number;
  selfClosing: boolean;
}

const newTag = (): Tag => ({
  code: OTHER,
  nameFrom: 0,
  nameTo: 0,
  end: 0,
  selfClosing: false,
  hasX: false,
  xFrom: -1,
  xTo: -1,
  dxFrom: -1,
  dxTo: -1,
  yFrom: -1,
  yTo: -1,
  dyFrom: -1,
  dyTo: -1,
  transformFrom: -1,
  transformTo: -1,
  hasViewBox: false,
  names: 0,
});

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
 * Reads into `tag` the tag whose name starts at `a` (after '<' or '</'), as a browser reads it
 * (quoted values may hold '>'; of an attribute written twice, the last is kept); false when a
 * quoted value runs to the end (nothing after it is drawn).
 */
function readTag(s: string, a: number, tag: Tag): boolean {
  const n = s.length;
  let k = nameEnd(s, a);
  tag.code = nameCode(s, a, k);
  tag.nameFrom = a;
  tag.nameTo = k;
  tag.end = n;
  tag.selfClosing = false;
  tag.hasX = false;
  tag.xFrom = tag.xTo = tag.dxFrom = tag.dxTo = -1;
  tag.yFrom = tag.yTo = tag.dyFrom = tag.dyTo = tag.transformFrom = tag.transformTo = -1;
  tag.hasViewBox = false;
  tag.names = 0;
  while (k < n) {
    let c = s.charCodeAt(k);
    if (isHtmlSpace(c) || c === 47) {
      tag.selfClosing = c === 47;
      k++;
      continue;
    }
    if (c === 62) {
      tag.end = k + 1;
      return true;
    }
    tag.selfClosing = false;
    const nameStart = k++;
    while (k < n) {
      c = s.charCodeAt(k);
      if (isHtmlSpace(c) || c === 47 || c === 62 || c === 61) break;
      k++;
    }
    const attr = attributeCode(s, nameStart, k);
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
      if (e < 0) return false;
      k = e + 1;
    } else {
      v = k;
      while (k < n && !isHtmlSpace(s.charCodeAt(k)) && s.charCodeAt(k) !== 62) k++;
      e = k;
    }
    switch (attr) {
      case ATTR_X:
        tag.hasX = true;
        tag.xFrom = v;
        tag.xTo = e;
        break;
      case ATTR_DX:
        tag.dxFrom = v;
        tag.dxTo = e;
        break;
      case ATTR_Y:
        tag.yFrom = v;
        tag.yTo = e;
        break;
      case ATTR_WORDS:
        tag.names |= namesAt(s, v, e);
        break;
      case ATTR_DY:
        tag.dyFrom = v;
        tag.dyTo = e;
        break;
      case ATTR_TRANSFORM:
        tag.transformFrom = v;
        tag.transformTo = e;
        break;
      case ATTR_VIEWBOX:
        tag.hasViewBox = true;
        break;
    }
  }
  return true;
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
  const tag = newTag();
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
    if (!readTag(s, i + (closing ? 2 : 1), tag)) break;
    pos = tag.end;
    const code = tag.code;
    if (closing) {
      if (code === SVG && svg > (whole ? 1 : 0)) {
        svg--;
        place.leave(SVG);
      }
      if (svg === 0) continue;
      if ((code === G || code === SWITCH || (code === A && text === 0)) && place.isOpen(code)) {
        place.leave(code);
      } else if (code === TEXT && text > 0) {
        if (--text === 0) rows.finish();
      } else if ((code === TITLE || code === DESC) && tip > 0) {
        if (--tip === 0)
          // Text after a tooltip goes on after the text drawn before it: no `x` known.
          rows.start(
            text > 0 ? place.at() : undefined,
            undefined,
            text > 0 ? place.textY : undefined,
            place.textKey,
            false,
          );
      }
      continue;
    }
    if (svg === 0) {
      if (code === SVG && !tag.selfClosing) {
        svg = 1;
        place.enter(SVG, tag);
      } else if (code === PLAINTEXT)
        break; // text to the end, drawn as written
      else if (code === RAW_TEXT || code === TITLE)
        pos = rawTextEnd(s, pos, s.slice(tag.nameFrom, tag.nameTo).toLowerCase());
      continue;
    }
    if (tag.selfClosing) continue;
    switch (code) {
      case SVG:
        svg++;
        place.enter(SVG, tag);
        break;
      case TEXT:
        if (text++ === 0) {
          place.startText(tag);
          rows.start(place.at(), place.atX(), place.textY, place.textKey, false);
        }
        break;
      case TSPAN:
      case TEXTPATH:
        if (text > 0 && tip === 0) {
          const y = place.moveText(code === TEXTPATH, tag);
          // Placed by its own coordinates: another token (on the row where it is drawn).
          if (tag.hasX || y !== undefined)
            rows.start(place.at(), place.atX(), y ?? place.textY, place.textKey, true);
        }
        break;
      case TITLE:
      case DESC:
        if (tip++ === 0) rows.start(undefined, undefined, undefined, place.key(0), false);
        break;
      case G:
      case SWITCH:
        place.enter(code, tag);
        break;
      case A:
        if (text === 0) place.enter(A, tag);
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
