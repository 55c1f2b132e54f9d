/**
 * Why: besides the bars and slices `plotlyTables` reads, plotly.js draws text of its own — the
 * title, axis, legend and colorbar titles, annotations, a trace's name in the legend, its `text`
 * on bars and as scatter text marks, its hover text, the literal part of its templates — and a
 * count stated there ("only 2 patients") or a bare count drawn as a bar label ("2") is as plain to
 * see as in text/plain. This module reads that text as plotly draws it (`svg_text_utils.js`):
 * line ends as spaces, the tags plotly styles text with dropped (`<b>`, `<sup>`, `<span …>` …),
 * `<br>` as a line break, any other tag drawn as written, and in templates each `%{…}` placeholder
 * a value of its own (never read as part of the literal text beside it).
 *
 * Tick labels (`tickvals`/`ticktext`, categories on an axis) are a scale, as the SVG reader's axes
 * are, and are not read here; neither are pie labels or other categories (the table rules read them
 * as labels), nor the cells of `table` traces.
 */
import { isRecord, type Json } from './json-value.js';
import type { TypedArrays } from './typed-arrays.js';

/** Where plotly draws a text (named in findings: "(plotly text: annotation)"). */
export type PlotTextPlace =
  | 'title'
  | 'axis title'
  | 'legend title'
  | 'colorbar title'
  | 'annotation'
  | 'trace name'
  | 'trace text'
  | 'hover text'
  | 'control label';

/** The places whose bare numbers are counts drawn as labels (a bar's "2", an annotation's "3"). */
const LABEL_PLACES: ReadonlySet<PlotTextPlace> = new Set<PlotTextPlace>([
  'annotation',
  'trace text',
  'hover text',
]);

/** True when a bare number drawn at `place` is read as a count drawn as a label. */
export const readsLabels = (place: PlotTextPlace): boolean => LABEL_PLACES.has(place);

/** The tags plotly.js styles text with (TAG_STYLES) and `a`: dropped, their text kept. */
const STYLE_TAGS = new Set(['sup', 'sub', 's', 'u', 'b', 'i', 'a', 'span', 'em']);
/** A template placeholder (`%{y}`, `%{y:.2f}`, `%{x|%b %Y}`): a value, not literal text. */
const PLACEHOLDER = /%\{[^}]*\}/g;
/**
 * What a placeholder is read as: a mark that is neither digit, space nor letter, so the literal
 * text on either side is never read as one number with it, nor as a bare count alone.
 */
const VALUE_MARK = '#';

/** Line ends, which plotly.js draws as spaces (NEWLINES). */
const LINE_ENDS = /\r\n?|\n/g;

/**
 * A string as plotly.js draws it (`svg_text_utils.js`): line ends as spaces, then the text split
 * at its tags (SPLIT_TAGS, `/<[^<>]*>/`) — `<br>` a line break, the style tags dropped, every other
 * tag (`<extra>` outside hover templates, `<p>`) drawn as written. Read by hand from the '<' signs.
 */
export function drawnString(s: string): string {
  const flat = s.indexOf('\n') >= 0 || s.indexOf('\r') >= 0 ? s.replace(LINE_ENDS, ' ') : s;
  let lt = flat.indexOf('<');
  if (lt < 0) return flat;
  let out = '';
  let from = 0;
  while (lt >= 0) {
    let gt = lt + 1;
    for (let c = flat.charCodeAt(gt); gt < flat.length && c !== 62 && c !== 60;)
      c = flat.charCodeAt(++gt);
    if (gt >= flat.length) break; // no '>' after this '<', nor after any later one
    if (flat.charCodeAt(gt) === 60) {
      lt = gt; // a '<' before the '>': the tag starts there
      continue;
    }
    const drawn = tagDrawn(flat, lt, gt);
    if (drawn !== undefined) {
      out += flat.slice(from, lt) + drawn;
      from = gt + 1;
    }
    lt = flat.indexOf('<', gt + 1);
  }
  return from === 0 ? flat : out + flat.slice(from);
}

/**
 * What plotly.js draws for the tag `s[lt..gt]` (ONE_TAG: its name runs to a space or the '>'):
 * a line break for `<br>`, nothing for a style tag, undefined for any other (drawn as written).
 */
function tagDrawn(s: string, lt: number, gt: number): string | undefined {
  const start = s.charCodeAt(lt + 1) === 47 ? lt + 2 : lt + 1;
  let end = start;
  while (end < gt && s.charCodeAt(end) !== 32) end++;
  const length = end - start;
  if (length === 0 || length > 4) return undefined; // no name plotly knows is longer than "span"
  // `<br>`, and `<br/>` too: a line break reads each line on its own (fail closed).
  const br = (s.charCodeAt(start) | 32) === 98 && (s.charCodeAt(start + 1) | 32) === 114;
  if (br && (length === 2 || (length === 3 && s.charCodeAt(start + 2) === 47))) return '\n';
  return STYLE_TAGS.has(s.slice(start, end).toLowerCase()) ? '' : undefined;
}

/**
 * The literal text a template draws, as drawn: each `%{…}` read as one value mark (VALUE_MARK);
 * a hover template's `<extra>…</extra>` is drawn in a box of its own beside the hover label.
 */
function templateText(s: string, hover: boolean): string {
  const drawn = drawnString(s.indexOf('%{') >= 0 ? s.replace(PLACEHOLDER, VALUE_MARK) : s);
  return hover && drawn.indexOf('<') >= 0 ? drawn.replace(/<\/?extra>/gi, '\n') : drawn;
}

/** How a string is drawn: as written, or as a text or hover template. */
type Drawing = 'plain' | 'text' | 'hover';

/** The text plotly draws, per place: each string drawn once per place and way it is drawn. */
export class PlotText {
  /** The drawn strings per place, in the order first read. */
  readonly places = new Map<PlotTextPlace, string[]>();
  /** The strings and numbers read, per place and way drawn (a FigureWidget's states repeat them). */
  private readonly seen = new Map<string, Set<Json>>();
  /** The typed arrays of the figure being read, decoded as its tables read them. */
  private arrays: TypedArrays | undefined;

  /** Reads the text a figure (`data`, `layout`, `frames`) draws; `arrays` decodes its typed arrays. */
  readFigure(root: Record<string, Json>, arrays?: TypedArrays): void {
    this.arrays = arrays;
    this.readLayout(root.layout);
    if (Array.isArray(root.data)) for (const t of root.data) this.readTrace(t);
    if (!Array.isArray(root.frames)) return;
    for (const frame of root.frames) {
      if (!isRecord(frame)) continue;
      this.readLayout(frame.layout);
      if (Array.isArray(frame.data)) for (const t of frame.data) this.readTrace(t);
    }
  }

  /** The strings and numbers read at `place` drawn as `drawing`, and the list of what they draw. */
  private target(place: PlotTextPlace, drawing: Drawing): { seen: Set<Json>; drawn: string[] } {
    const key = `${place}\u0000${drawing}`;
    let seen = this.seen.get(key);
    if (seen === undefined) this.seen.set(key, (seen = new Set()));
    let drawn = this.places.get(place);
    if (drawn === undefined) this.places.set(place, (drawn = []));
    return { seen, drawn };
  }

  /** A string or number plotly draws as text at `place`, drawn as `drawing` says. */
  private value(place: PlotTextPlace, v: Json | undefined, drawing: Drawing = 'plain'): void {
    if (typeof v !== 'string' && typeof v !== 'number') return;
    this.add(this.target(place, drawing), v, drawing);
  }

  /** Adds the text `v` draws to `to`, unless read there before. */
  private add(to: { seen: Set<Json>; drawn: string[] }, v: Json, drawing: Drawing): void {
    if (typeof v === 'number' ? !Number.isFinite(v) : typeof v !== 'string' || v === '') return;
    if (to.seen.has(v)) return;
    to.seen.add(v);
    to.drawn.push(
      typeof v !== 'string'
        ? String(v)
        : drawing === 'plain'
          ? drawnString(v)
          : templateText(v, drawing === 'hover'),
    );
  }

  /**
   * The values of a data attribute drawn per point (`text`, `hovertext`, `texttemplate`): one
   * value for every point, a list (nested for a heatmap), or a typed array decoded.
   */
  private values(
    place: PlotTextPlace,
    v: Json | undefined,
    key: string,
    drawing: Drawing = 'plain',
  ): void {
    if (v === undefined || v === null) return;
    const list = Array.isArray(v) ? v : isRecord(v) ? this.arrays?.values(v, key) : undefined;
    if (list === undefined) return this.value(place, v, drawing);
    this.list(this.target(place, drawing), list, drawing);
  }

  /** Adds every value of `list` (nested lists: a heatmap's rows) to `to`. */
  private list(to: { seen: Set<Json>; drawn: string[] }, list: Json[], drawing: Drawing): void {
    for (const x of list) {
      if (Array.isArray(x)) this.list(to, x, drawing);
      else this.add(to, x, drawing);
    }
  }

  /** A title: a string, or an object with `text` (and a `subtitle` with `text`). */
  private title(place: PlotTextPlace, t: Json | undefined): void {
    if (!isRecord(t)) return this.value(place, t);
    this.value(place, t.text);
    if (isRecord(t.subtitle)) this.value(place, t.subtitle.text);
  }

  /** A colorbar's title, if the object has a colorbar. */
  private colorbar(holder: Json | undefined): void {
    if (isRecord(holder) && isRecord(holder.colorbar))
      this.title('colorbar title', holder.colorbar.title);
  }

  /** Annotations (2D or 3D): their text, and the hover text they show. */
  private annotations(list: Json | undefined): void {
    if (!Array.isArray(list)) return;
    for (const a of list)
      if (isRecord(a)) {
        this.value('annotation', a.text);
        this.value('annotation', a.hovertext);
      }
  }

  /** The titles of `axes` under `holder` (a scene's x/y/z axes, a ternary's a/b/c axes …). */
  private axisTitles(holder: Json | undefined, axes: readonly string[]): void {
    if (!isRecord(holder)) return;
    for (const a of axes) {
      const axis = holder[a];
      if (isRecord(axis)) this.title('axis title', axis.title);
    }
  }

  private readLayout(layout: Json | undefined): void {
    if (!isRecord(layout)) return;
    for (const key of Object.keys(layout)) {
      const v = layout[key];
      if (key === 'title') this.title('title', v);
      else if (key === 'annotations') this.annotations(v);
      else if (/^[xy]axis\d*$/.test(key)) this.axisTitles(layout, [key]);
      else if (/^legend\d*$/.test(key)) {
        if (isRecord(v)) this.title('legend title', v.title);
      } else if (/^coloraxis\d*$/.test(key)) this.colorbar(v);
      else if (/^scene\d*$/.test(key)) {
        this.axisTitles(v, ['xaxis', 'yaxis', 'zaxis']);
        if (isRecord(v)) this.annotations(v.annotations);
      } else if (/^polar\d*$/.test(key)) this.axisTitles(v, ['radialaxis', 'angularaxis']);
      else if (/^ternary\d*$/.test(key)) this.axisTitles(v, ['aaxis', 'baxis', 'caxis']);
      else if (key === 'shapes' && Array.isArray(v)) this.shapeLabels(v);
      else if ((key === 'sliders' || key === 'updatemenus') && Array.isArray(v)) this.controls(v);
    }
  }

  /** Shape labels (`shapes[].label.text`, `.texttemplate`): drawn beside the shape. */
  private shapeLabels(shapes: Json[]): void {
    for (const s of shapes)
      if (isRecord(s) && isRecord(s.label)) {
        this.value('annotation', s.label.text);
        this.value('annotation', s.label.texttemplate, 'text');
      }
  }

  /** Slider steps and menu buttons: their labels, and a slider's current-value prefix and suffix. */
  private controls(list: Json[]): void {
    for (const c of list) {
      if (!isRecord(c)) continue;
      for (const key of ['steps', 'buttons'] as const) {
        const items = c[key];
        if (Array.isArray(items))
          for (const item of items) if (isRecord(item)) this.value('control label', item.label);
      }
      if (isRecord(c.currentvalue)) {
        this.value('control label', c.currentvalue.prefix);
        this.value('control label', c.currentvalue.suffix);
      }
    }
  }

  private readTrace(tr: Json): void {
    if (!isRecord(tr)) return;
    this.value('trace name', tr.name);
    if (isRecord(tr.legendgrouptitle)) this.value('legend title', tr.legendgrouptitle.text);
    this.title('title', tr.title);
    this.values('trace text', tr.text, 'text');
    this.values('trace text', tr.texttemplate, 'texttemplate', 'text');
    this.values('hover text', tr.hovertext, 'hovertext');
    this.values('hover text', tr.hovertemplate, 'hovertemplate', 'hover');
    this.colorbar(tr);
    this.colorbar(tr.marker);
  }
}

// Why module state: plotlyTables reads every figure a part draws — the plotly MIME type, a figure
// dict in other JSON, each state a FigureWidget's edits leave (plotly-figures.ts) — deep inside the
// JSON reader, which returns tables only. It notes the text each figure draws here, and
// `checkOutput` takes that note after each part (plot-text-check.ts) to run the count rules on it.
let pending: PlotText | undefined;

/** Notes the text figure `root` draws (`arrays`: its typed arrays, decoded as the tables read them). */
export function notePlotText(root: Record<string, Json>, arrays?: TypedArrays): void {
  (pending ??= new PlotText()).readFigure(root, arrays);
}

/** The text the figures read since the last call draw, or undefined for none (the note is cleared). */
export function takePlotText(): PlotText | undefined {
  const taken = pending;
  pending = undefined;
  return taken;
}
