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
 * numbers and transform lists by hand (svg-transform.ts).
 */
import { firstLength, lengthAt, moved, readTranslation } from './svg-transform.js';

/**
 * What `id`/`class` words name (bits): a legend (its numbers are exempt when they read as a
 * legend's keys: svg-axis.ts `looksLikeLegend`).
 */
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

/**
 * The key of a token read as a label. An axis's key is its container's id (above 0); a legend's is
 * that id negated (below 0: see `isLegendKey`).
 */
export const LABEL = 0;

/** Whether `key` is a legend's (its numbers are read together, as keys: svg-rows.ts). */
export const isLegendKey = (key: number): boolean => key < 0;

/**
 * What a start tag gives placement, as written in the markup read: where the values of `x`, `y`,
 * `dx`, `dy` and `transform` are (from, to; -1 when absent), whether it has `x` and `viewBox`, and
 * what its `id`/`class` words name (NAMES_* bits). Positions, not strings: most tags place no text.
 */
export interface PlacedTag {
  hasX: boolean;
  xFrom: number;
  xTo: number;
  dxFrom: number;
  dxTo: number;
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

/** Bit of an open container's state: its content's place is known. */
const PLACED = 1;

/**
 * Where drawn text is placed and what the count rule makes of it (the walk's state). The open
 * containers are a stack kept in parallel arrays (one number each per container, no object).
 */
export class Placement {
  /** Per open container: its code, id, the offset of its content, PLACED bit, axis and legend key. */
  private readonly codes: number[] = [];
  private readonly ids: number[] = [];
  private readonly xs: number[] = [];
  private readonly ys: number[] = [];
  private readonly bits: number[] = [];
  private readonly axes: number[] = [];
  private readonly legends: number[] = [];
  private depth = 0;
  /** How many of each container code are open. */
  private readonly open = [0, 0, 0, 0];
  private lastId = 1;
  /** The text element read: its offset, cursor `y` and key; whether its place is known. */
  private textOffset = 0;
  private cursor = 0;
  private placed = true;
  /** The same across (`x`): known only where an `x` places the cursor (not after text drawn). */
  private textOffsetX = 0;
  private cursorX = 0;
  private placedX = true;
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
    const parentX = d === 0 ? 0 : (this.xs[d - 1] as number);
    const parentY = d === 0 ? 0 : (this.ys[d - 1] as number);
    const parentBits = d === 0 ? PLACED : (this.bits[d - 1] as number);
    let axis = d === 0 ? 0 : (this.axes[d - 1] as number);
    let legend = d === 0 ? 0 : (this.legends[d - 1] as number);
    const id = ++this.lastId;
    const translates =
      tag.transformFrom < 0 || readTranslation(this.markup, tag.transformFrom, tag.transformTo);
    const moveX = tag.transformFrom < 0 || !translates ? 0 : (moved[0] as number);
    const moveY = tag.transformFrom < 0 || !translates ? 0 : (moved[1] as number);
    // A nested <svg> placed or scaled by x, y or viewBox: not followed (the outermost is the page).
    const shifts =
      code === CONTAINER_SVG && d > 0 && (tag.hasX || tag.yFrom >= 0 || tag.hasViewBox);
    const names = tag.names;
    if (names !== 0 && axis === 0) {
      if ((names & NAMES_AXIS) !== 0) axis = id;
      else if ((names & NAMES_TICK) !== 0) axis = parentId; // its siblings are its axis
    }
    // The outermost container naming a legend keys all its numbers (vega nests legend groups).
    if (legend === 0 && (names & NAMES_LEGEND) !== 0) legend = -id;
    const bits = (parentBits & PLACED) !== 0 && translates && !shifts ? PLACED : 0;
    this.codes[d] = code;
    this.ids[d] = id;
    this.xs[d] = parentX + moveX;
    this.ys[d] = parentY + moveY;
    this.bits[d] = bits;
    this.axes[d] = axis;
    this.legends[d] = legend;
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

  /**
   * The key of a token drawn here (`names`: what the `id`/`class` of its own element names): its
   * legend's, else its axis's, else LABEL. Text elements that name a legend or axis themselves
   * form one with their siblings (keyed by their container).
   */
  key(names: number): number {
    const d = this.depth;
    const legend = d === 0 ? 0 : (this.legends[d - 1] as number);
    if (legend !== 0) return legend;
    if ((names & NAMES_LEGEND) !== 0) return d === 0 ? -1 : -(this.ids[d - 1] as number);
    const axis = d === 0 ? 0 : (this.axes[d - 1] as number);
    if (axis !== 0) return axis;
    if ((names & (NAMES_AXIS | NAMES_TICK)) === 0) return LABEL;
    return d === 0 ? 1 : (this.ids[d - 1] as number);
  }

  /** The `y` written on `tag` (trimmed), or undefined when it has none. */
  writtenY(tag: PlacedTag): string | undefined {
    return tag.yFrom < 0 ? undefined : this.markup.slice(tag.yFrom, tag.yTo).trim();
  }

  /** Starts text element `tag`: its place (`transform`, `x`, `y`, `dx`, `dy`) and key. */
  startText(tag: PlacedTag): void {
    const d = this.depth;
    const s = this.markup;
    const parentX = d === 0 ? 0 : (this.xs[d - 1] as number);
    const parentY = d === 0 ? 0 : (this.ys[d - 1] as number);
    const parentPlaced = d === 0 || ((this.bits[d - 1] as number) & PLACED) !== 0;
    const translates =
      tag.transformFrom < 0 || readTranslation(s, tag.transformFrom, tag.transformTo);
    const written = this.writtenY(tag);
    const y = written === undefined ? 0 : firstLength(written);
    const dy = tag.dyFrom < 0 ? 0 : lengthAt(s, tag.dyFrom, tag.dyTo);
    const x = tag.xFrom < 0 ? 0 : lengthAt(s, tag.xFrom, tag.xTo);
    const dx = tag.dxFrom < 0 ? 0 : lengthAt(s, tag.dxFrom, tag.dxTo);
    this.placed = parentPlaced && translates && y !== undefined && dy !== undefined;
    this.placedX = x !== undefined && dx !== undefined;
    const moveX = tag.transformFrom < 0 || !translates ? 0 : (moved[0] as number);
    const moveY = tag.transformFrom < 0 || !translates ? 0 : (moved[1] as number);
    this.textOffset = parentY + moveY;
    this.cursor = (y ?? 0) + (dy ?? 0);
    this.textOffsetX = parentX + moveX;
    this.cursorX = (x ?? 0) + (dx ?? 0);
    this.textY = written;
    this.textKey = this.key(tag.names);
  }

  /**
   * Moves the text cursor by a `<tspan>` or `<textPath>` (`path`: a text path, no place known);
   * returns the `y` written on it (trimmed), or undefined when it has none. Across, the cursor is
   * known only where it writes an `x` (without one it goes on after the text drawn before).
   */
  moveText(path: boolean, tag: PlacedTag): string | undefined {
    if (path) this.placed = false;
    const s = this.markup;
    if (tag.xFrom < 0) this.placedX = false;
    else {
      const x = lengthAt(s, tag.xFrom, tag.xTo);
      const dx = tag.dxFrom < 0 ? 0 : lengthAt(s, tag.dxFrom, tag.dxTo);
      this.placedX = x !== undefined && dx !== undefined;
      this.cursorX = (x ?? 0) + (dx ?? 0);
    }
    const written = this.writtenY(tag);
    if (written !== undefined) {
      const y = firstLength(written);
      if (y === undefined) this.placed = false;
      else this.cursor = y;
    }
    if (tag.dyFrom >= 0) {
      const dy = lengthAt(s, tag.dyFrom, tag.dyTo);
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

  /** Where text drawn now starts across (`x`, rounded), or undefined when not known (or its `y`). */
  atX(): number | undefined {
    if (!this.placed || !this.placedX || this.movable) return undefined;
    return Math.round((this.textOffsetX + this.cursorX) * 1000) / 1000;
  }
}
