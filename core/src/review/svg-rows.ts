/**
 * The rows of SVG text as drawn (svg-text.ts walks the markup and feeds them): tokens joined into
 * lines by the `y` they are drawn at (or written with), the bare numbers among them kept as labels
 * (those of an axis only when its numbers do not read as tick labels, those of a legend only when
 * its numbers do not read as its keys: svg-axis.ts), and the tokens placed for certain (outside
 * legends) kept for the grid reading (svg-grid.ts).
 */
import { decodeEntities } from './entities.js';
import { foldUnicode } from './normalize.js';
import { looksLikeAxis, looksLikeLegend, tickValue } from './svg-axis.js';
import { gridBeyondWritten, PlacedTokens } from './svg-grid.js';
import { isLegendKey, LABEL } from './svg-position.js';
import { parseCount } from './table.js';

/** SVG text as drawn: rows of tokens, and the tokens that are bare numbers drawn as labels. */
export interface SvgText {
  /**
   * One line per row: the tokens of one `y` written one after another, two spaces apart; then,
   * after an empty line, the grid reading when it adds a row (see `PlacedTokens.grid`), without
   * the tables the lines before it already read alike (`gridBeyondWritten`).
   */
  rows: string;
  /** The tokens that are bare counts drawn as labels (but a legend's keys, an axis's tick labels). */
  labels: SvgLabel[];
}

/** A token that is a count as drawn (a bare whole number, digits folded as the scanners fold them). */
export interface SvgLabel {
  /** Its line in `rows` and its place in that line (from 0). */
  row: number;
  column: number;
  value: number;
}

/** Runs of the white space SVG collapses (space, tab, line ends, form feed). */
const XML_SPACES = /[ \t\n\f\r]+/g;

/** Collects tokens into rows (see SvgText). */
export class Rows {
  /** The lines ended (joined by line ends), and how many. */
  private lines = '';
  private lineCount = 0;
  /** The current line (its tokens two spaces apart), and how many tokens it has. */
  private line = '';
  private lineTokens = 0;
  /** Where the current line's first token is drawn (see `start`). */
  private lineAt: number | undefined;
  private lineY: string | undefined;
  private readonly labels: SvgLabel[] = [];
  /** For each label, its axis or legend key (0: none); and the numbers drawn in each. */
  private readonly labelAxis: number[] = [];
  private readonly axes = new Map<number, number[]>();
  /** The text of the token being read (character references decoded, CDATA as written). */
  private token = '';
  private tokenAt: number | undefined;
  private tokenAtX: number | undefined;
  private tokenY: string | undefined;
  private tokenKey = LABEL;
  /** The tokens placed for certain (outside legends), for the grid: see `grid`. */
  private readonly placed = new PlacedTokens();
  /**
   * The legend text element being read: its key, its tokens' text joined (folded) and their numbers.
   * matplotlib draws a math-text legend label ("$\mathdefault{20}$") one digit per `<tspan>`: the
   * element's number is then its digits joined ("20").
   */
  private elementKey = LABEL;
  private elementText = '';
  private elementTokens = 0;
  private readonly elementValues: number[] = [];

  /**
   * Starts a token drawn at `at` (its `y` as drawn, undefined when not known) and across at `atX`
   * (its `x`, likewise) with `y` written (a `<title>`/`<desc>` has none of them); `key`: LABEL,
   * its axis or its legend; `inElement`: it goes on drawing the text element before (a `<tspan>`).
   */
  start(
    at: number | undefined,
    atX: number | undefined,
    y: string | undefined,
    key: number,
    inElement: boolean,
  ): void {
    this.finish();
    if (!inElement) this.endElement();
    this.tokenAt = at;
    this.tokenAtX = atX;
    this.tokenY = y;
    this.tokenKey = key;
  }

  /** Adds text of the current token (`literal`: CDATA, drawn as written). */
  add(piece: string, literal: boolean): void {
    if (piece !== '') this.token += literal ? piece : decodeEntities(piece);
  }

  /**
   * Ends the current token: placed on the current line when drawn at its `y` (both known), or
   * else written with the same `y`; otherwise on a new line.
   */
  finish(): void {
    if (this.token === '') return;
    const token = collapse(this.token);
    this.token = '';
    if (token === '') return;
    const at = this.tokenAt;
    const y = this.tokenY;
    const sameLine =
      this.lineTokens > 0 &&
      (at !== undefined && this.lineAt !== undefined
        ? at === this.lineAt
        : y !== undefined && y !== '' && y === this.lineY);
    if (!sameLine) this.newLine(at, y);
    const key = this.tokenKey;
    const legend = isLegendKey(key);
    if (legend && key !== this.elementKey) this.endElement();
    if (token.length <= 24) {
      const folded = foldUnicode(token).trim();
      const tick = key === LABEL ? undefined : tickValue(folded);
      if (legend) this.legendToken(key, folded, tick);
      else if (tick !== undefined) this.axisValues(key).push(tick);
      const value = parseCount(folded);
      if (value !== undefined) {
        this.labels.push({ row: this.lineCount, column: this.lineTokens, value });
        this.labelAxis.push(tick === undefined ? LABEL : key);
      }
    } else if (legend) this.legendToken(key, token, undefined);
    // Character references are decoded here: '&' is written as one, so `normalize` decodes no more.
    const written = token.indexOf('&') < 0 ? token : token.replace(/&/g, '&amp;');
    if (at !== undefined && this.tokenAtX !== undefined && !legend)
      this.placed.add(at, this.tokenAtX, this.lineCount, key, written);
    this.line = this.lineTokens === 0 ? written : `${this.line}  ${written}`;
    this.lineTokens++;
  }

  /** Adds a token of a legend's text element (`folded`: its text; `tick`: its number, if any). */
  private legendToken(key: number, folded: string, tick: number | undefined): void {
    this.elementKey = key;
    this.elementText += folded;
    this.elementTokens++;
    if (tick !== undefined) this.elementValues.push(tick);
  }

  /**
   * Ends the legend text element read: its numbers go to its legend — its tokens' text joined when
   * that is one number (digits drawn one per `<tspan>`), else each token's own.
   */
  endElement(): void {
    if (this.elementTokens === 0) return;
    const joined =
      this.elementTokens > 1 && this.elementText.length <= 24
        ? tickValue(this.elementText)
        : undefined;
    const values = this.axisValues(this.elementKey);
    if (joined !== undefined) values.push(joined);
    else values.push(...this.elementValues);
    this.elementKey = LABEL;
    this.elementText = '';
    this.elementTokens = 0;
    this.elementValues.length = 0;
  }

  private axisValues(key: number): number[] {
    let values = this.axes.get(key);
    if (values === undefined) this.axes.set(key, (values = []));
    return values;
  }

  private newLine(at: number | undefined, y: string | undefined): void {
    if (this.lineTokens > 0) {
      this.lines = this.lineCount === 0 ? this.line : `${this.lines}\n${this.line}`;
      this.lineCount++;
    }
    this.line = '';
    this.lineTokens = 0;
    this.lineAt = at;
    this.lineY = y;
  }

  /**
   * The rows read (the current token ended): as written, then — when placed tokens drawn at one
   * `y` were not written one after another — after an empty line, the grid of them (`grid`), less
   * the tables already read as written (`gridBeyondWritten`).
   */
  text(): string {
    this.finish();
    this.endElement();
    this.newLine(undefined, undefined);
    const grid = this.placed.grid(this.tickAxes());
    const added = grid === '' ? '' : gridBeyondWritten(this.lines, grid);
    return added === '' ? this.lines : `${this.lines}\n\n${added}`;
  }

  /**
   * The labels drawn: those in an axis only when its numbers do not read as tick labels, those in
   * a legend only when its numbers do not read as its keys.
   */
  drawnLabels(): SvgLabel[] {
    this.finish();
    this.endElement();
    const ticks = this.tickAxes();
    if (ticks.size === 0) return this.labels;
    return this.labels.filter((_, k) => !ticks.has(this.labelAxis[k] as number));
  }

  /**
   * The keys of the axes whose numbers read as tick labels and of the legends whose numbers read
   * as keys (svg-axis.ts), once read (when every token is: `text` or `drawnLabels`).
   */
  private ticks: Set<number> | undefined;
  private tickAxes(): Set<number> {
    if (this.ticks !== undefined) return this.ticks;
    const ticks = new Set<number>();
    for (const [key, values] of this.axes)
      if (isLegendKey(key) ? looksLikeLegend(values) : looksLikeAxis(values)) ticks.add(key);
    return (this.ticks = ticks);
  }
}

/**
 * SVG's white space as drawn: runs of spaces, tabs and line ends as one space, none at the ends
 * (other Unicode spaces are drawn as they are; the label test folds and trims them).
 */
function collapse(text: string): string {
  if (!needsCollapse(text)) return text; // the usual label: nothing to collapse
  const t = text.replace(XML_SPACES, ' ');
  const a = t.charCodeAt(0) === 32 ? 1 : 0;
  const b = t.length > a && t.charCodeAt(t.length - 1) === 32 ? t.length - 1 : t.length;
  return t.slice(a, b);
}

/** Whether `collapse` changes `text`: a tab, line end or form feed, two spaces, or one at an end. */
function needsCollapse(text: string): boolean {
  const n = text.length;
  if (text.charCodeAt(0) === 32 || text.charCodeAt(n - 1) === 32) return true;
  for (let k = 0; k < n; k++) {
    const c = text.charCodeAt(k);
    if (
      c <= 32 &&
      (c === 9 || c === 10 || c === 12 || c === 13 || (c === 32 && text.charCodeAt(k + 1) === 32))
    )
      return true;
  }
  return false;
}
