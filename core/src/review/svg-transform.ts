/**
 * Lengths and transform lists as SVG writes them, read for the offset they place text by
 * (svg-position.ts): plain (or `px`) numbers and transforms that only translate; anything else is
 * unresolved. The usual forms are read in place by hand; anything unusual by the regular
 * expressions here (`translation`), which the hand-read forms must agree with (tested).
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

/** `firstLength` of the value written in `s` from `from` to `to`, without a slice for a plain number. */
export function lengthAt(s: string, from: number, to: number): number | undefined {
  const v = numberAt(s, from, to);
  return Number.isNaN(v) ? firstLength(s.slice(from, to)) : v;
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

/** The offset (x, y) the transform read last by `readTranslation` moves by. */
export const moved = new Float64Array(2);

/**
 * Whether the transform list written in `s` from `from` to `to` only translates (as `translation`
 * reads it); if so, `moved` holds its offset. The usual `translate(x[, y])` is read in place (as
 * TRANSLATE reads it), other ASCII transform lists by `listTranslation`, anything else by
 * `translation`.
 */
export function readTranslation(s: string, from: number, to: number): boolean {
  if (s.startsWith('translate(', from) && s.charCodeAt(to - 1) === 41) {
    const a = from + 10;
    const aEnd = argumentEnd(s, a, to);
    const x = aEnd > a ? numberAt(s, a, aEnd) : NaN;
    if (!Number.isNaN(x)) {
      let k = aEnd;
      while (k < to && isAsciiSpace(s.charCodeAt(k))) k++;
      if (s.charCodeAt(k) === 44) k++;
      while (k < to && isAsciiSpace(s.charCodeAt(k))) k++;
      if (k === to - 1) {
        moved[0] = x;
        moved[1] = 0;
        return true;
      }
      const bEnd = argumentEnd(s, k, to);
      if (bEnd === to - 1 && bEnd > k) {
        const y = numberAt(s, k, bEnd);
        if (!Number.isNaN(y)) {
          moved[0] = x;
          moved[1] = y;
          return true;
        }
      }
    }
  }
  const listed = listTranslation(s, from, to);
  if (listed !== UNREAD) return listed === READ;
  const t = translation(s.slice(from, to));
  if (t === undefined) return false;
  moved[0] = t.x;
  moved[1] = t.y;
  return true;
}

/** `translation(s.slice(from, to))?.y`, read in place where it can be (exported for its test). */
export function translationY(s: string, from: number, to: number): number | undefined {
  return readTranslation(s, from, to) ? moved[1] : undefined;
}

/** `translation(s.slice(from, to))?.x`, read in place where it can be (exported for its test). */
export function translationX(s: string, from: number, to: number): number | undefined {
  return readTranslation(s, from, to) ? moved[0] : undefined;
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

/** What `listTranslation` made of a transform list: read (`moved` holds it), not a translation, not read. */
const READ = 1;
const NOT_TRANSLATION = 0;
const UNREAD = -1;

/**
 * A transform list written in ASCII read in place as `translation`'s general loop reads it: READ
 * (its offset in `moved`), NOT_TRANSLATION, or UNREAD when it is written otherwise (left to
 * `translation`).
 */
function listTranslation(s: string, from: number, to: number): number {
  let x = 0;
  let y = 0;
  let k = from;
  for (let first = true; ; first = false) {
    while (k < to && isSeparator(s.charCodeAt(k))) k++;
    if (k === to) {
      if (first) return UNREAD;
      moved[0] = x;
      moved[1] = y;
      return READ;
    }
    const name = k;
    while (k < to && isAsciiLetter(s.charCodeAt(k))) k++;
    const nameEnd = k;
    while (k < to && isAsciiSpace(s.charCodeAt(k))) k++;
    if (nameEnd === name || s.charCodeAt(k) !== 40) return UNREAD;
    const open = k + 1;
    let close = open;
    while (close < to && s.charCodeAt(close) !== 41 && s.charCodeAt(close) !== 40) close++;
    if (close === to || s.charCodeAt(close) !== 41) return UNREAD;
    k = close + 1;
    const n = readArguments(s, open, close);
    if (n === null) return UNREAD;
    if (n < 0) return NOT_TRANSLATION;
    const a0 = args[0] as number;
    switch (s.slice(name, nameEnd)) {
      case 'translate':
        if (n < 1 || n > 2) return NOT_TRANSLATION;
        x += a0;
        y += n === 2 ? (args[1] as number) : 0;
        break;
      case 'scale':
        if (n < 1 || n > 2 || a0 !== 1 || (n === 2 && args[1] !== 1)) return NOT_TRANSLATION;
        break;
      case 'rotate':
        if ((n !== 1 && n !== 3) || a0 !== 0) return NOT_TRANSLATION;
        break;
      case 'skewX':
      case 'skewY':
        if (n !== 1 || a0 !== 0) return NOT_TRANSLATION;
        break;
      case 'matrix':
        if (n !== 6 || a0 !== 1 || args[1] !== 0 || args[2] !== 0 || args[3] !== 1)
          return NOT_TRANSLATION;
        x += args[4] as number;
        y += args[5] as number;
        break;
      default:
        return NOT_TRANSLATION;
    }
  }
}
