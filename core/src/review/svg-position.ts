/**
 * Why: a table drawn in SVG can place its rows by `transform="translate(…)"` on groups or text
 * elements, or by `dy`, instead of writing each row's `y`. To read such rows as drawn, the SVG text
 * reader (svg-text.ts) adds up the offsets these place a text element by. Only what is certain is
 * read: plain (or `px`) numbers, the first of a list, and transforms that only translate (rotate,
 * scale, skew by nothing, a matrix that is a translation). Anything else — percentages, `em`, a
 * turn, a scale — is unresolved (undefined), and the reader then forms rows as it did before.
 * `Placement` keeps this state along the reader's walk, with what the open containers name
 * (a legend, an axis or tick: see svg-axis.ts). It reads attribute values where they are written
 * (positions, not copies), keeps the open containers as a stack of numbers and reads the usual
 * numbers and transform lists by hand; anything unusual is left to the regular expressions below.
 */

/** A number as SVG writes it in attributes and transform lists. */
const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
/** One transform function and its arguments, with the separators around it. */
const TRANSFORM_FUNCTION = /[\s,]*([A-Za-z]+)\s*\(([^()]*)\)[\s,]*/y;
/** The usual transform: one `translate(x[, y])` (its numbers checked by NUMBER). */
const TRANSLATE = /^translate\(([^\s,()]+)(?:\s*,\s*|\s+)?([^\s,()]+)?\)$/;
/** Separators of a list (white space and/or a comma). */
const LIST_SEPARATOR = /[\s,]+/;

/** An offset in user units. */
export interface Offset {
  x: number;
  y: number;
}

/**
 * The number written in `s` from `from` to `to` when all of it is one as SVG writes it (NUMBER),
 * else NaN; without a slice for up to 15 digits and no exponent: m / 10^k is then exact as
 * `Number` reads it (both are the correctly rounded value of the decimal).
 */
function numberAt(s: string, from: number, to: number): number {
  let i = from;
  const sign = s.charCodeAt(i);
  if (sign === 43 || sign === 45) i++;
  let mantissa = 0;
  let digits = 0;
  let decimals = 0;
  let point = false;
  for (; i < to; i++) {
    const c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      mantissa = mantissa * 10 + (c - 48);
      digits++;
      if (point) decimals++;
    } else if (c === 46 && !point) point = true;
    else break;
  }
  if (digits === 0) return NaN;
  if (i < to) {
    // Only an exponent may follow: [eE][+-]?\d+ to the end.
    if ((s.charCodeAt(i) | 32) !== 101) return NaN;
    let k = i + 1;
    const c = s.charCodeAt(k);
    if (c === 43 || c === 45) k++;
    if (k >= to) return NaN;
    for (; k < to; k++) if (!isDigit(s.charCodeAt(k))) return NaN;
    return Number(s.slice(from, to));
  }
  if (digits > 15) return Number(s.slice(from, to));
  const v = decimals === 0 ? mantissa : mantissa / POWERS_OF_TEN[decimals]!;
  return sign === 45 ? -v : v;
}

const isDigit = (c: number): boolean => c >= 48 && c <= 57;
/** 10^0 … 10^15, each exact. */
const POWERS_OF_TEN = Array.from({ length: 16 }, (_, k) => 10 ** k);

/**
 * The first value of an `x`/`y`/`dx`/`dy` list as a length in user units (a plain number or one in
 * `px`), or undefined when it is written otherwise (a percentage, `em`, empty …).
 */
export function firstLength(list: string): number | undefined {
  const v = numberAt(list, 0, list.length);
  if (!Number.isNaN(v)) return v; // the usual case: one plain number
  const first = list.trim().split(LIST_SEPARATOR, 1)[0] ?? '';
  const plain = first.endsWith('px') ? first.slice(0, -2) : first;
  return NUMBER.test(plain) ? Number(plain) : undefined;
}

/** The numbers of a transform function's argument list, or undefined when one is not a number. */
function numbers(args: string): number[] | undefined {
  const t = args.trim();
  if (t === '') return [];
  const out: number[] = [];
  for (const a of t.split(LIST_SEPARATOR)) {
    if (!NUMBER.test(a)) return undefined;
    out.push(Number(a));
  }
  return out;
}

/**
 * The offset a `transform` attribute moves by, or undefined when it does more than translate
 * (a turn, a scale or a skew by anything but nothing, a matrix that is not a translation, or
 * anything not read).
 */
export function translation(transform: string): Offset | undefined {
  const simple = TRANSLATE.exec(transform);
  if (simple !== null) {
    const a = simple[1] ?? '';
    const b = simple[2];
    if (NUMBER.test(a) && (b === undefined || NUMBER.test(b)))
      return { x: Number(a), y: b === undefined ? 0 : Number(b) };
  }
  let x = 0;
  let y = 0;
  const re = TRANSFORM_FUNCTION;
  re.lastIndex = 0;
  let at = 0;
  while (at < transform.length) {
    re.lastIndex = at;
    const m = re.exec(transform);
    if (m === null) return transform.slice(at).trim() === '' ? { x, y } : undefined;
    at = re.lastIndex;
    const a = numbers(m[2] ?? '');
    if (a === undefined) return undefined;
    const [a0, a1] = a;
    switch (m[1]) {
      case 'translate':
        if (a0 === undefined || a.length > 2) return undefined;
        x += a0;
        y += a1 ?? 0;
        break;
      case 'scale':
        if (a.length < 1 || a.length > 2 || a.some((v) => v !== 1)) return undefined;
        break;
      case 'rotate':
        if ((a.length !== 1 && a.length !== 3) || a0 !== 0) return undefined;
        break;
      case 'skewX':
      case 'skewY':
        if (a.length !== 1 || a0 !== 0) return undefined;
        break;
      case 'matrix':
        if (a.length !== 6 || a[0] !== 1 || a[1] !== 0 || a[2] !== 0 || a[3] !== 1)
          return undefined;
        x += a[4] as number;
        y += a[5] as number;
        break;
      default:
        return undefined;
    }
  }
  return { x, y };
}

/** White space as `\s` reads it among ASCII (space, tab, line ends, form and line tabulation). */
const isAsciiSpace = (c: number): boolean => c === 32 || (c >= 9 && c <= 13);

/** The end of a `translate(…)` argument from `k` (up to white space, ',', '(' or ')'); -1: not ASCII. */
function argumentEnd(s: string, k: number, to: number): number {
  for (; k < to; k++) {
    const c = s.charCodeAt(k);
    if (c >= 128) return -1;
    if (isAsciiSpace(c) || c === 44 || c === 40 || c === 41) return k;
  }
  return k;
}

/**
 * `translation(s.slice(from, to))?.y` (exported for its test) — the usual `translate(x[, y])` read in place (as TRANSLATE
 * reads it), other ASCII transform lists by `listY`, anything else by `translation`.
 */
export function translationY(s: string, from: number, to: number): number | undefined {
  if (s.startsWith('translate(', from) && s.charCodeAt(to - 1) === 41) {
    const a = from + 10;
    const aEnd = argumentEnd(s, a, to);
    if (aEnd > a && !Number.isNaN(numberAt(s, a, aEnd))) {
      let k = aEnd;
      while (k < to && isAsciiSpace(s.charCodeAt(k))) k++;
      if (s.charCodeAt(k) === 44) k++;
      while (k < to && isAsciiSpace(s.charCodeAt(k))) k++;
      if (k === to - 1) return 0;
      const bEnd = argumentEnd(s, k, to);
      if (bEnd === to - 1 && bEnd > k) {
        const y = numberAt(s, k, bEnd);
        if (!Number.isNaN(y)) return y;
      }
    }
  }
  const listed = listY(s, from, to);
  return listed !== null ? listed : translation(s.slice(from, to))?.y;
}

/** The arguments of the transform function read last (the first six), and how many it has. */
const args = new Float64Array(6);
const isAsciiLetter = (c: number): boolean => (c | 32) >= 97 && (c | 32) <= 122;
const isSeparator = (c: number): boolean => c === 44 || isAsciiSpace(c);

/**
 * The arguments of a transform function written from `from` to `to` (inside its parentheses) into
 * `args`, as `numbers` reads them: how many; -1 when one is not a number (or is empty); null when
 * they hold a character that is not ASCII (left to `numbers`).
 */
function readArguments(s: string, from: number, to: number): number | null {
  let j = from;
  while (j < to && isAsciiSpace(s.charCodeAt(j))) j++;
  let end = to;
  while (end > j && isAsciiSpace(s.charCodeAt(end - 1))) end--;
  let count = 0;
  let valid = true;
  while (j < end) {
    const start = j;
    for (; j < end; j++) {
      const c = s.charCodeAt(j);
      if (c >= 128) return null;
      if (isSeparator(c)) break;
    }
    // An empty argument (a comma first or last) is not a number.
    const v = j > start ? numberAt(s, start, j) : NaN;
    if (Number.isNaN(v)) valid = false;
    else if (count < 6) args[count] = v;
    count++;
    for (; j < end && isSeparator(s.charCodeAt(j)); j++);
    if (j === end && isSeparator(s.charCodeAt(end - 1))) valid = false;
  }
  for (let k = j; k < to; k++) if (s.charCodeAt(k) >= 128) return null;
  return valid ? count : -1;
}

/**
 * `translation(s.slice(from, to))?.y` for a transform list written in ASCII as `translation`'s
 * general loop reads it, in place; null when it is written otherwise (left to `translation`).
 */
function listY(s: string, from: number, to: number): number | undefined | null {
  let y = 0;
  let k = from;
  for (let first = true; ; first = false) {
    while (k < to && isSeparator(s.charCodeAt(k))) k++;
    if (k === to) return first ? null : y;
    const name = k;
    while (k < to && isAsciiLetter(s.charCodeAt(k))) k++;
    const nameEnd = k;
    while (k < to && isAsciiSpace(s.charCodeAt(k))) k++;
    if (nameEnd === name || s.charCodeAt(k) !== 40) return null;
    const open = k + 1;
    let close = open;
    while (close < to && s.charCodeAt(close) !== 41 && s.charCodeAt(close) !== 40) close++;
    if (close === to || s.charCodeAt(close) !== 41) return null;
    k = close + 1;
    const n = readArguments(s, open, close);
    if (n === null) return null;
    if (n < 0) return undefined;
    const a0 = args[0] as number;
    switch (s.slice(name, nameEnd)) {
      case 'translate':
        if (n < 1 || n > 2) return undefined;
        y += n === 2 ? (args[1] as number) : 0;
        break;
      case 'scale':
        if (n < 1 || n > 2 || a0 !== 1 || (n === 2 && args[1] !== 1)) return undefined;
        break;
      case 'rotate':
        if ((n !== 1 && n !== 3) || a0 !== 0) return undefined;
        break;
      case 'skewX':
      case 'skewY':
        if (n !== 1 || a0 !== 0) return undefined;
        break;
      case 'matrix':
        if (n !== 6 || a0 !== 1 || args[1] !== 0 || args[2] !== 0 || args[3] !== 1)
          return undefined;
        y += args[5] as number;
        break;
      default:
        return undefined;
    }
  }
}

/** What `id`/`class` words name (bits): a legend (its numbers are keys, not values drawn). */
export const NAMES_LEGEND = 1;
/** An axis (its numbers are exempt when they read as tick labels). */
export const NAMES_AXIS = 2;
/** A tick (an axis of its own when no container names one). */
export const NAMES_TICK = 4;

/**
 * What the `id`/`class` value written in `s` from `from` to `to` names: "legend", "axis", "tick"
 * in any case (NAMES_* bits). Only ASCII letters are equal to theirs up to case (as /legend/i reads).
 */
export function namesAt(s: string, from: number, to: number): number {
  let names = 0;
  for (let k = from; k < to; k++) {
    const c = s.charCodeAt(k) | 32;
    if (c === 108) {
      if (k + 6 <= to && startsWithWord(s, k, 'legend')) names |= NAMES_LEGEND;
    } else if (c === 97) {
      if (k + 4 <= to && startsWithWord(s, k, 'axis')) names |= NAMES_AXIS;
    } else if (c === 116) {
      if (k + 4 <= to && startsWithWord(s, k, 'tick')) names |= NAMES_TICK;
    }
  }
  return names;
}

/** Whether `word` (lower-case ASCII letters) is written at `k` in any case. */
function startsWithWord(s: string, k: number, word: string): boolean {
  for (let j = 1; j < word.length; j++)
    if ((s.charCodeAt(k + j) | 32) !== word.charCodeAt(j)) return false;
  return true;
}

/**
 * Whether `markup` may hold CSS that moves text: a property ending in "transform", "translate",
 * "rotate" or "scale" before a ':' (any case). One pass over the ':' signs.
 */
function cssMayMove(markup: string): boolean {
  for (let i = markup.indexOf(':'); i >= 0; i = markup.indexOf(':', i + 1)) {
    let e = i;
    while (e > 0 && isCssSpace(markup.charCodeAt(e - 1))) e--;
    const last = markup.charCodeAt(e - 1) | 32;
    if (last === 109) {
      if (endsWithWord(markup, e, 'transform')) return true;
    } else if (last === 101) {
      if (
        endsWithWord(markup, e, 'translate') ||
        endsWithWord(markup, e, 'rotate') ||
        endsWithWord(markup, e, 'scale')
      )
        return true;
    }
  }
  return false;
}

/**
 * Whether the text before `e` ends with `word` (lower-case ASCII letters) in any case. Only ASCII
 * letters are equal to them up to case here: no other character lower-cases to one of their letters.
 */
function endsWithWord(s: string, e: number, word: string): boolean {
  const a = e - word.length;
  if (a < 0) return false;
  for (let k = 0; k < word.length; k++)
    if ((s.charCodeAt(a + k) | 32) !== word.charCodeAt(k)) return false;
  return true;
}

const isCssSpace = (c: number): boolean => c === 32 || c === 9 || c === 10 || c === 12 || c === 13;

/** The key of a token the count rule does not read (drawn in a legend). */
export const EXEMPT = -1;
/** The key of a token read as a label (an axis's key is its container's id, above 0). */
export const LABEL = 0;

/**
 * What a start tag gives placement, as written in the markup read: where the values of `y`, `dy`
 * and `transform` are (from, to; -1 when absent), whether it has `x` and `viewBox`, and what its
 * `id`/`class` words name (NAMES_* bits). Positions, not strings: most tags place no text.
 */
export interface PlacedTag {
  hasX: boolean;
  yFrom: number;
  yTo: number;
  dyFrom: number;
  dyTo: number;
  transformFrom: number;
  transformTo: number;
  hasViewBox: boolean;
  names: number;
}

/** Container elements tracked for their placement and names (`<a>` only outside text), by code. */
export const CONTAINER_G = 0;
/** `<a>` (outside text). */
export const CONTAINER_A = 1;
/** `<svg>`. */
export const CONTAINER_SVG = 2;
/** `<switch>`. */
export const CONTAINER_SWITCH = 3;

/** Bits of an open container's state: its content's place is known; it is in a legend. */
const PLACED = 1;
const LEGEND = 2;

/**
 * Where drawn text is placed and what the count rule makes of it (the walk's state). The open
 * containers are a stack kept in parallel arrays (one number each per container, no object).
 */
export class Placement {
  /** Per open container: its code, id, the `y` offset of its content, PLACED/LEGEND bits, axis key. */
  private readonly codes: number[] = [];
  private readonly ids: number[] = [];
  private readonly ys: number[] = [];
  private readonly bits: number[] = [];
  private readonly axes: number[] = [];
  private depth = 0;
  /** How many of each container code are open. */
  private readonly open = [0, 0, 0, 0];
  private lastId = 1;
  /** The text element read: its offset, cursor `y` and key; whether its place is known. */
  private textOffset = 0;
  private cursor = 0;
  private placed = true;
  /** The `y` written on the text element, and its key. */
  textY: string | undefined;
  textKey = LABEL;

  /** CSS may move text (a property that does, anywhere in the markup): no place is known. */
  private readonly movable: boolean;

  /** The placement state for reading `markup` (the tags given are read from it). */
  constructor(private readonly markup: string) {
    this.movable = cssMayMove(markup);
  }

  /** Opens container `code` (CONTAINER_*; `tag`: its start tag). */
  enter(code: number, tag: PlacedTag): void {
    const d = this.depth;
    // The base (nothing open): id 1, at 0, placed, no legend, no axis.
    const parentId = d === 0 ? 1 : (this.ids[d - 1] as number);
    const parentY = d === 0 ? 0 : (this.ys[d - 1] as number);
    const parentBits = d === 0 ? PLACED : (this.bits[d - 1] as number);
    let axis = d === 0 ? 0 : (this.axes[d - 1] as number);
    const id = ++this.lastId;
    const moveY =
      tag.transformFrom < 0 ? 0 : translationY(this.markup, tag.transformFrom, tag.transformTo);
    // A nested <svg> placed or scaled by x, y or viewBox: not followed (the outermost is the page).
    const shifts =
      code === CONTAINER_SVG && d > 0 && (tag.hasX || tag.yFrom >= 0 || tag.hasViewBox);
    const names = tag.names;
    if (names !== 0 && axis === 0) {
      if ((names & NAMES_AXIS) !== 0) axis = id;
      else if ((names & NAMES_TICK) !== 0) axis = parentId; // its siblings are its axis
    }
    let bits = parentBits & LEGEND;
    if ((names & NAMES_LEGEND) !== 0) bits |= LEGEND;
    if ((parentBits & PLACED) !== 0 && moveY !== undefined && !shifts) bits |= PLACED;
    this.codes[d] = code;
    this.ids[d] = id;
    this.ys[d] = parentY + (moveY ?? 0);
    this.bits[d] = bits;
    this.axes[d] = axis;
    this.depth = d + 1;
    this.open[code] = (this.open[code] as number) + 1;
  }

  /** Closes container `code` and what is still open inside it (nothing when none is open). */
  leave(code: number): void {
    if (this.open[code] === 0) return;
    for (;;) {
      const top = this.codes[--this.depth] as number;
      this.open[top] = (this.open[top] as number) - 1;
      if (top === code) return;
    }
  }

  /** Whether a container `code` is open. */
  isOpen(code: number): boolean {
    return (this.open[code] as number) > 0;
  }

  /** The key of a token drawn here (`names`: what the `id`/`class` of its own element names). */
  key(names: number): number {
    const d = this.depth;
    const bits = d === 0 ? PLACED : (this.bits[d - 1] as number);
    if ((bits & LEGEND) !== 0 || (names & NAMES_LEGEND) !== 0) return EXEMPT;
    const axis = d === 0 ? 0 : (this.axes[d - 1] as number);
    if (axis !== 0) return axis;
    if ((names & (NAMES_AXIS | NAMES_TICK)) === 0) return LABEL;
    return d === 0 ? 1 : (this.ids[d - 1] as number);
  }

  /** The `y` written on `tag` (trimmed), or undefined when it has none. */
  writtenY(tag: PlacedTag): string | undefined {
    return tag.yFrom < 0 ? undefined : this.markup.slice(tag.yFrom, tag.yTo).trim();
  }

  /** Starts text element `tag`: its place (`transform`, `y`, `dy`) and key. */
  startText(tag: PlacedTag): void {
    const d = this.depth;
    const s = this.markup;
    const parentY = d === 0 ? 0 : (this.ys[d - 1] as number);
    const parentPlaced = d === 0 || ((this.bits[d - 1] as number) & PLACED) !== 0;
    const moveY = tag.transformFrom < 0 ? 0 : translationY(s, tag.transformFrom, tag.transformTo);
    const written = this.writtenY(tag);
    const y = written === undefined ? 0 : firstLength(written);
    const dy = tag.dyFrom < 0 ? 0 : firstLength(s.slice(tag.dyFrom, tag.dyTo));
    this.placed = parentPlaced && moveY !== undefined && y !== undefined && dy !== undefined;
    this.textOffset = parentY + (moveY ?? 0);
    this.cursor = (y ?? 0) + (dy ?? 0);
    this.textY = written;
    this.textKey = this.key(tag.names);
  }

  /**
   * Moves the text cursor by a `<tspan>` or `<textPath>` (`path`: a text path, no place known);
   * returns the `y` written on it (trimmed), or undefined when it has none.
   */
  moveText(path: boolean, tag: PlacedTag): string | undefined {
    if (path) this.placed = false;
    const written = this.writtenY(tag);
    if (written !== undefined) {
      const y = firstLength(written);
      if (y === undefined) this.placed = false;
      else this.cursor = y;
    }
    if (tag.dyFrom >= 0) {
      const dy = firstLength(this.markup.slice(tag.dyFrom, tag.dyTo));
      if (dy === undefined) this.placed = false;
      else this.cursor += dy;
    }
    return written;
  }

  /** Where text drawn now is placed (`y`, rounded), or undefined when not known. */
  at(): number | undefined {
    if (!this.placed || this.movable) return undefined;
    return Math.round((this.textOffset + this.cursor) * 1000) / 1000;
  }
}
