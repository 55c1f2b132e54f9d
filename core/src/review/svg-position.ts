/**
 * Why: a table drawn in SVG can place its rows by `transform="translate(…)"` on groups or text
 * elements, or by `dy`, instead of writing each row's `y`. To read such rows as drawn, the SVG text
 * reader (svg-text.ts) adds up the offsets these place a text element by. Only what is certain is
 * read: plain (or `px`) numbers, the first of a list, and transforms that only translate (rotate,
 * scale, skew by nothing, a matrix that is a translation). Anything else — percentages, `em`, a
 * turn, a scale — is unresolved (undefined), and the reader then forms rows as it did before.
 * `Placement` keeps this state along the reader's walk, with what the open containers name
 * (a legend, an axis or tick: see svg-axis.ts).
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

/** No offset. */
export const NO_OFFSET: Readonly<Offset> = { x: 0, y: 0 };

/**
 * The first value of an `x`/`y`/`dx`/`dy` list as a length in user units (a plain number or one in
 * `px`), or undefined when it is written otherwise (a percentage, `em`, empty …).
 */
export function firstLength(list: string): number | undefined {
  if (NUMBER.test(list)) return Number(list); // the usual case: one plain number
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

/** `id`/`class` words that name a legend, axis or tick (tested first: most groups name none). */
const NAMED_GROUP = /legend|axis|tick/i;
/** `id`/`class` words of groups whose numbers are keys, not values drawn. */
const LEGEND_GROUP = /legend/i;
/** `id`/`class` words of an axis (its numbers are exempt when they read as tick labels). */
const AXIS_GROUP = /axis/i;
/** `id`/`class` words of a tick (an axis of its own when no container names one). */
const TICK_GROUP = /tick/i;
/** CSS properties that may move text (CSS is not read: rows are then formed by the `y` written). */
const CSS_MOVES = /(?:transform|translate|rotate|scale)$/;

/**
 * Whether `markup` may hold CSS that moves text: a property ending in "transform", "translate",
 * "rotate" or "scale" before a ':' (any case). One pass over the ':' signs.
 */
function cssMayMove(markup: string): boolean {
  for (let i = markup.indexOf(':'); i >= 0; i = markup.indexOf(':', i + 1)) {
    let e = i;
    while (e > 0 && isCssSpace(markup.charCodeAt(e - 1))) e--;
    const last = markup.charCodeAt(e - 1) | 32;
    if (last !== 109 && last !== 101) continue; // 'm' or 'e'
    if (CSS_MOVES.test(markup.slice(Math.max(0, e - 9), e).toLowerCase())) return true;
  }
  return false;
}

const isCssSpace = (c: number): boolean => c === 32 || c === 9 || c === 10 || c === 12 || c === 13;

/** The key of a token the count rule does not read (drawn in a legend). */
export const EXEMPT = -1;
/** The key of a token read as a label (an axis's key is its container's id, above 0). */
export const LABEL = 0;

/** What a start tag gives placement: `x`, `y`, `dy`, `transform`, `viewBox`; `id`/`class` words. */
export interface PlacedTag {
  x: string | undefined;
  y: string | undefined;
  dy: string | undefined;
  transform: string | undefined;
  viewBox: string | undefined;
  groupWords: string;
}

/** Container elements tracked for their placement and names (`<a>` only outside text). */
export type ContainerName = 'g' | 'a' | 'svg' | 'switch';
/** Whether an element is a tracked container. */
export const isContainer = (name: string): name is ContainerName =>
  name === 'g' || name === 'a' || name === 'svg' || name === 'switch';

/** An open container: where it places its content and what it names. */
interface Frame {
  name: ContainerName | '';
  id: number;
  /** The `y` offset of its content, and whether that is known (translations only). */
  y: number;
  placed: boolean;
  /** Inside a legend; the axis key of its content (0: none). */
  legend: boolean;
  axis: number;
}

/** Where drawn text is placed and what the count rule makes of it (the walk's state). */
export class Placement {
  private readonly frames: Frame[] = [];
  private readonly open: Record<ContainerName, number> = { g: 0, a: 0, svg: 0, switch: 0 };
  private readonly base: Frame = { name: '', id: 1, y: 0, placed: true, legend: false, axis: 0 };
  private ids = 1;
  /** The text element read: its offset, cursor `y` and key; whether its place is known. */
  private textOffset = 0;
  private cursor = 0;
  private placed = true;
  /** The `y` written on the text element, and its key. */
  textY: string | undefined;
  textKey = LABEL;

  /** CSS may move text (a property that does, anywhere in the markup): no place is known. */
  private readonly movable: boolean;

  /** The placement state for reading `markup`. */
  constructor(markup: string) {
    this.movable = cssMayMove(markup);
  }

  private top(): Frame {
    return this.frames[this.frames.length - 1] ?? this.base;
  }

  /** Opens container `name` (`tag`: its start tag). */
  enter(name: ContainerName, tag: PlacedTag): void {
    const parent = this.top();
    const id = ++this.ids;
    const move = tag.transform === undefined ? NO_OFFSET : translation(tag.transform);
    // A nested <svg> placed or scaled by x, y or viewBox: not followed (the outermost is the page).
    const nested = name === 'svg' && parent !== this.base;
    const shifts =
      nested && (tag.x !== undefined || tag.y !== undefined || tag.viewBox !== undefined);
    const words = tag.groupWords;
    const named = words !== '' && NAMED_GROUP.test(words);
    let axis = parent.axis;
    if (named && axis === 0 && AXIS_GROUP.test(words)) axis = id;
    else if (named && axis === 0 && TICK_GROUP.test(words)) axis = parent.id; // its siblings are its axis
    this.frames.push({
      name,
      id,
      y: parent.y + (move?.y ?? 0),
      placed: parent.placed && move !== undefined && !shifts,
      legend: parent.legend || (named && LEGEND_GROUP.test(words)),
      axis,
    });
    this.open[name]++;
  }

  /** Closes container `name` and what is still open inside it (nothing when none is open). */
  leave(name: ContainerName): void {
    if (this.open[name] === 0) return;
    for (;;) {
      const f = this.frames.pop() as Frame;
      this.open[f.name as ContainerName]--;
      if (f.name === name) return;
    }
  }

  /** Whether a container `name` is open. */
  isOpen(name: ContainerName): boolean {
    return this.open[name] > 0;
  }

  /** The key of a token drawn here (`words`: the `id`/`class` of its own element). */
  key(words: string): number {
    const f = this.top();
    if (f.legend || LEGEND_GROUP.test(words)) return EXEMPT;
    if (f.axis !== 0) return f.axis;
    return AXIS_GROUP.test(words) || TICK_GROUP.test(words) ? f.id : LABEL;
  }

  /** Starts text element `tag`: its place (`transform`, `y`, `dy`) and key. */
  startText(tag: PlacedTag): void {
    const f = this.top();
    const move = tag.transform === undefined ? NO_OFFSET : translation(tag.transform);
    const y = tag.y === undefined ? 0 : firstLength(tag.y);
    const dy = tag.dy === undefined ? 0 : firstLength(tag.dy);
    this.placed = f.placed && move !== undefined && y !== undefined && dy !== undefined;
    this.textOffset = f.y + (move?.y ?? 0);
    this.cursor = (y ?? 0) + (dy ?? 0);
    this.textY = tag.y;
    this.textKey = this.key(tag.groupWords);
  }

  /** Moves the text cursor by a `<tspan>` or `<textPath>` (a text path: no place known). */
  moveText(name: string, tag: PlacedTag): void {
    if (name === 'textpath') this.placed = false;
    if (tag.y !== undefined) {
      const y = firstLength(tag.y);
      if (y === undefined) this.placed = false;
      else this.cursor = y;
    }
    if (tag.dy !== undefined) {
      const dy = firstLength(tag.dy);
      if (dy === undefined) this.placed = false;
      else this.cursor += dy;
    }
  }

  /** Where text drawn now is placed (`y`, rounded), or undefined when not known. */
  at(): number | undefined {
    if (!this.placed || this.movable) return undefined;
    return Math.round((this.textOffset + this.cursor) * 1000) / 1000;
  }
}
