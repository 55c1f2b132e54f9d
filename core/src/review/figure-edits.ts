/**
 * Why: a plotly FigureWidget draws its edits one over another — a restyle that sets the counts,
 * then one that sets the labels, shows both at once — so each edit is applied, in the order the
 * kernel sent it, over a copy of the traces and layout the edits before it left. The figures to
 * read are the widget as first drawn, each trace an edit changes as that edit leaves it (with the
 * layout then drawn: every intermediate state of every trace), and at the end every trace not yet
 * read with the final layout. Edits are applied as plotly.js applies them (restyle, update,
 * animate, addTraces, deleteTraces, moveTraces, relayout, trace deltas by uid, and the props
 * plotly.py removes from the widget's model: removeLayoutProps / removeTraceProps; attribute
 * strings with bracket indexes, and null as a reset, as plotly reads them: plotly-path.ts); a
 * message plotly.js would refuse (bad trace indexes, malformed key paths) changes nothing, and
 * values given to a trace the figure does not have are still read, alone (fail closed: the book
 * may not know every trace the figure has). A removed prop leaves later states without it, never
 * earlier ones: the state that showed it was read when it was drawn.
 */
import { isRecord, tableContext, type Json } from './plot-tables.js';
import { IndexBudget, setPlotlyPath, UNSAFE_KEYS } from './plotly-path.js';

/** A figure as `plotlyTables` reads it: `data` (traces), `layout`, maybe `frames`. */
export type Figure = Record<string, Json>;

/** `layout` after a relayout (`{path: value}`, plotly attribute strings), as plotly.js does. */
function relayout(layout: Figure, changes: Json | undefined, budget: IndexBudget): Figure {
  if (!isRecord(changes)) return layout;
  let out: Figure = { ...layout };
  for (const [path, value] of Object.entries(changes))
    out = setPlotlyPath(out, path, value, budget);
  return out;
}

/** Most prop removals followed (each leaves one more view drawn before it to read). */
const MAX_VIEWS = 16;

/** Most parts of one key path a remove message may name (plotly.py's are a few levels deep). */
const MAX_PATH_PARTS = 64;

/** A key path as plotly.py sends it (`['yaxis', 'title', 'text']`), or undefined when malformed. */
function keyPath(path: Json): string[] | undefined {
  if (!Array.isArray(path) || path.length === 0 || path.length > MAX_PATH_PARTS) return undefined;
  const keys: string[] = [];
  for (const part of path) {
    if (typeof part === 'number' && Number.isInteger(part) && part >= 0) keys.push(String(part));
    else if (typeof part === 'string' && !UNSAFE_KEYS.has(part)) keys.push(part);
    else return undefined;
  }
  return keys;
}

/** The `remove_props` of a remove message, or undefined when any path is malformed (all refused). */
function keyPaths(list: Json | undefined): string[][] | undefined {
  if (!Array.isArray(list)) return undefined;
  const paths: string[][] = [];
  for (const p of list) {
    const keys = keyPath(p);
    if (keys === undefined) return undefined;
    paths.push(keys);
  }
  return paths;
}

/** An array index as lodash reads a key (`'2'`, not `'02'`). */
const INDEX = /^(?:0|[1-9]\d*)$/;

/**
 * `node` without the value at `keys`, as lodash's `unset` leaves plotly's widget model (an array
 * item becomes a hole, written null), copying what it changes; `node` itself when the path names
 * nothing there.
 */
function unset(node: Json | undefined, keys: readonly string[], at = 0): Json | undefined {
  const key = keys[at] as string;
  const last = at === keys.length - 1;
  if (Array.isArray(node)) {
    const k = INDEX.test(key) ? Number(key) : node.length;
    if (k >= node.length) return node;
    const next = last ? null : unset(node[k], keys, at + 1);
    if (next === node[k] || next === undefined) return node;
    const copy = [...node];
    copy[k] = next;
    return copy;
  }
  if (!isRecord(node) || !Object.hasOwn(node, key)) return node;
  const copy: Figure = { ...node };
  if (last) delete copy[key];
  else {
    const next = unset(node[key], keys, at + 1);
    if (next === node[key] || next === undefined) return node;
    copy[key] = next;
  }
  return copy;
}

/** `node` without the values at each of `paths` (as unset), `node` itself when none was there. */
function removeProps(node: Json | undefined, paths: readonly string[][]): Json | undefined {
  let out = node;
  for (const keys of paths) out = unset(out, keys);
  return out;
}

/**
 * The trace indexes an edit names, as plotly.js reads them: a number, the numbers of a non-empty
 * list, or every trace (no list, or an empty one).
 */
function targets(which: Json | undefined, count: number): number[] {
  if (typeof which === 'number') return [which];
  if (Array.isArray(which) && which.length > 0)
    return which.filter((t): t is number => typeof t === 'number');
  return Array.from({ length: count }, (_, k) => k);
}

/**
 * Indexes as plotly.js's deleteTraces and moveTraces take them (negative ones count from the end),
 * or undefined when plotly.js would refuse them (not whole numbers in range, or repeated).
 */
function traceIndexes(list: Json | undefined, count: number): number[] | undefined {
  const items = typeof list === 'number' ? [list] : list;
  if (!Array.isArray(items)) return undefined;
  const out: number[] = [];
  const seen = new Set<number>();
  for (const v of items) {
    if (typeof v !== 'number' || !Number.isInteger(v)) return undefined;
    const k = v < 0 ? count + v : v;
    if (k < 0 || k >= count || seen.has(k)) return undefined;
    seen.add(k);
    out.push(k);
  }
  return out;
}

/** A FigureWidget's traces and layout with its edits applied in turn, and the figures to read. */
export class EditedFigure {
  private traces: Json[];
  private layout: Figure;
  /**
   * The traces and layout of views drawn before a prop removal: plotly's widget removes props
   * from its model only (a view drawn later goes without them), while a view already drawn keeps
   * them and draws later edits over them. Both are read (fail closed).
   */
  private readonly views: { traces: Json[]; layout: Figure }[] = [];
  private readonly figures: Figure[] = [];
  /**
   * The table contexts (tableContext: title and axis titles) each trace (object) was read with: a
   * trace is read once per context, since a layout edit that keeps the context (a colour, a
   * progress text in an annotation) gives it the same tables; the new layout is read on its own.
   */
  private readonly readWith = new Map<Figure, Set<string>>();
  /** The caps on what index edits (`'y[1]'`) may allocate, over every edit of this figure. */
  private readonly budget = new IndexBudget();

  /** True when an index edit plotly may draw was refused (caps, typed array): hold, never read less. */
  get indexEditUnfollowed(): boolean {
    return this.budget.exceeded;
  }

  /** The widget as first drawn (always read, as a figure of its own). */
  constructor(base: readonly Json[], layout: Figure) {
    this.traces = [...base];
    this.layout = layout;
    this.figures.push({ data: [...base], layout });
    const context = tableContext(layout);
    for (const t of base) if (isRecord(t)) this.readWith.set(t, new Set([context]));
  }

  /**
   * Reads the traces of `data` not yet read with the current layout's context (values alone
   * included); true when it read any.
   */
  private read(data: readonly Json[]): boolean {
    const context = tableContext(this.layout);
    const fresh = data.filter((t) => !isRecord(t) || !this.readWith.get(t)?.has(context));
    if (fresh.length === 0) return false;
    this.figures.push({ data: fresh, layout: this.layout });
    for (const t of fresh)
      if (isRecord(t)) {
        const contexts = this.readWith.get(t);
        if (contexts) contexts.add(context);
        else this.readWith.set(t, new Set([context]));
      }
    return true;
  }

  /** Reads a changed layout: with the traces its context has not been read with, else alone. */
  private readLayout(): void {
    if (!this.read(this.traces)) this.figures.push({ data: [], layout: this.layout });
  }

  /** True when `t` names a trace the figure has. */
  private has(t: number): boolean {
    return Number.isInteger(t) && t >= 0 && t < this.traces.length;
  }

  /** Sets the layout a relayout leaves; every trace is then drawn with it. */
  private relaidOut(changes: Json | undefined): void {
    if (!isRecord(changes)) return;
    this.layout = relayout(this.layout, changes, this.budget);
  }

  /**
   * `Plotly.restyle(gd, style, traces)`: each named trace with each attribute set; a list value
   * gives the k-th named trace its k-th item (cycling), any other value (a typed array spec
   * included) goes to every named trace. Returns the traces it drew.
   */
  private restyle(style: Json | undefined, which: Json | undefined): Json[] {
    if (!isRecord(style)) return [];
    return targets(which, this.traces.length).map((t, pos) => {
      const old = this.has(t) ? this.traces[t] : undefined;
      let trace: Figure = isRecord(old) ? { ...old } : {};
      for (const [path, v] of Object.entries(style)) {
        const value = Array.isArray(v) ? v[pos % Math.max(v.length, 1)] : v;
        if (value !== undefined) trace = setPlotlyPath(trace, path, value, this.budget);
      }
      if (this.has(t)) this.traces[t] = trace;
      return trace;
    });
  }

  /**
   * plotly's widget model on `removeTraceProps` (`{remove_trace, remove_props}`): the trace at that
   * index without those props. Returns the trace it leaves, if it changed; a trace index the figure
   * does not have, or a malformed path, changes nothing.
   */
  private removeTraceProps(which: Json | undefined, list: Json | undefined): Json[] {
    const paths = keyPaths(list);
    if (typeof which !== 'number' || !this.has(which) || paths === undefined) return [];
    const old = this.traces[which];
    const next = removeProps(old, paths);
    if (next === old || next === undefined) return [];
    this.traces[which] = next;
    return [next];
  }

  /**
   * plotly's widget model on `removeLayoutProps` (`{remove_props}`): the layout without them.
   * Returns no traces (a changed layout has every trace read with it).
   */
  private removeLayoutProps(list: Json | undefined): Json[] {
    const paths = keyPaths(list);
    if (paths === undefined) return [];
    const next = removeProps(this.layout, paths);
    if (isRecord(next)) this.layout = next;
    return [];
  }

  /** `Plotly.animate` to frame traces: each item merged over the trace it updates. */
  private animate(items: Json | undefined, which: Json | undefined): Json[] {
    if (!Array.isArray(items)) return [];
    const at = Array.isArray(which) ? which : [];
    return items.map((tr, k) => {
      const t = at[k] ?? k;
      const old = typeof t === 'number' && this.has(t) ? this.traces[t] : undefined;
      const next = isRecord(tr) && isRecord(old) ? { ...old, ...tr } : tr;
      if (typeof t === 'number' && this.has(t) && isRecord(next)) this.traces[t] = next;
      return next;
    });
  }

  /** `Plotly.deleteTraces`. */
  private deleteTraces(list: Json | undefined): void {
    const gone = traceIndexes(list, this.traces.length);
    if (gone === undefined) return;
    for (const k of gone.sort((a, b) => b - a)) this.traces.splice(k, 1);
  }

  /** `Plotly.moveTraces(gd, current, next)`: next omitted moves them to the end, in order. */
  private moveTraces(current: Json | undefined, next: Json | undefined): void {
    const count = this.traces.length;
    const from = traceIndexes(current, count);
    if (from === undefined) return;
    const to =
      next === undefined || next === null
        ? from.map((_, k) => count - from.length + k)
        : traceIndexes(next, count);
    if (to === undefined || to.length !== from.length) return;
    const moving = from.map((k, i) => ({ at: to[i] as number, trace: this.traces[k] as Json }));
    const moved = new Set(from);
    const staying = this.traces.filter((_, k) => !moved.has(k));
    moving.sort((a, b) => a.at - b.at);
    for (const m of moving) staying.splice(m.at, 0, m.trace);
    this.traces.splice(0, this.traces.length, ...staying);
  }

  /** Trace deltas the frontend reports, each merged over the trace with its `uid`. */
  private deltas(list: Json | undefined): Json[] {
    if (!Array.isArray(list)) return [];
    const byUid = new Map<Json, number>();
    this.traces.forEach((t, k) => {
      if (isRecord(t) && t.uid !== undefined && !byUid.has(t.uid)) byUid.set(t.uid, k);
    });
    return list.map((d) => {
      const k = isRecord(d) ? byUid.get(d.uid as Json) : undefined;
      const old = k === undefined ? undefined : this.traces[k];
      if (!isRecord(d) || k === undefined || !isRecord(old)) return d;
      const next = { ...old, ...d };
      this.traces[k] = next;
      return next;
    });
  }

  /**
   * Applies one edit message (`key` the FigureWidget trait it came in, `m` its payload) to the
   * model and to every view drawn before a prop removal, and reads what it draws: the traces it
   * changes, or every trace when it changes the layout.
   */
  apply(key: string, m: Figure): void {
    if (key === '_py2js_removeTraceProps' || key === '_py2js_removeLayoutProps') {
      this.remove(key, m);
      return;
    }
    this.applyHere(key, m);
    for (const view of this.views) this.onView(view, () => this.applyHere(key, m));
  }

  /** Applies one edit (not a removal) over the current traces and layout, and reads what it draws. */
  private applyHere(key: string, m: Figure): void {
    const before = this.layout;
    let drawn: Json[] = [];
    switch (key) {
      case '_py2js_addTraces':
        if (Array.isArray(m.trace_data)) {
          for (const t of m.trace_data) this.traces.push(t);
          drawn = m.trace_data;
        }
        break;
      case '_py2js_deleteTraces':
        this.deleteTraces(m.delete_inds);
        break;
      case '_py2js_moveTraces':
        this.moveTraces(m.current_trace_inds, m.new_trace_inds);
        break;
      case '_py2js_restyle':
        drawn = this.restyle(m.restyle_data, m.restyle_traces);
        break;
      case '_py2js_update':
      case '_js2py_update':
      case '_js2py_restyle':
        this.relaidOut(m.layout_data);
        drawn = this.restyle(m.style_data, m.style_traces);
        break;
      case '_py2js_animate':
        this.relaidOut(m.layout_data);
        drawn = this.animate(m.style_data, m.style_traces);
        break;
      case '_py2js_relayout':
      case '_js2py_relayout':
        this.relaidOut(m.relayout_data);
        break;
      case '_js2py_layoutDelta':
        this.relaidOut(m.layout_delta);
        break;
      case '_js2py_traceDeltas':
        drawn = this.deltas(m.trace_deltas);
        break;
      default:
        return;
    }
    this.read(drawn);
    if (this.layout !== before) this.readLayout();
  }

  /** Runs `edit` over a view's traces and layout instead of the model's, keeping what it leaves. */
  private onView(view: { traces: Json[]; layout: Figure }, edit: () => void): void {
    const model = { traces: this.traces, layout: this.layout };
    this.traces = view.traces;
    this.layout = view.layout;
    try {
      edit();
    } finally {
      view.traces = this.traces;
      view.layout = this.layout;
      this.traces = model.traces;
      this.layout = model.layout;
    }
  }

  /**
   * A prop removal, applied to the model and read; the state before it goes on as a view drawn
   * earlier. Past MAX_VIEWS removals change nothing (the model keeps the props, as drawn before).
   */
  private remove(key: string, m: Figure): void {
    if (this.views.length >= MAX_VIEWS) return;
    const drawnBefore = { traces: [...this.traces], layout: this.layout };
    const drawn =
      key === '_py2js_removeTraceProps'
        ? this.removeTraceProps(m.remove_trace, m.remove_props)
        : this.removeLayoutProps(m.remove_props);
    if (drawn.length === 0 && this.layout === drawnBefore.layout) return;
    this.views.push(drawnBefore);
    this.read(drawn);
    if (this.layout !== drawnBefore.layout) this.readLayout();
  }

  /** The figures to read: as first drawn, each edit's traces as left, every trace as drawn last. */
  finish(): Figure[] {
    this.read(this.traces);
    for (const view of this.views) this.onView(view, () => this.read(this.traces));
    return this.figures;
  }
}

/** The FigureWidget traits `EditedFigure.apply` reads, in the order one state's payloads apply. */
export const EDIT_KEYS = [
  '_py2js_deleteTraces',
  '_py2js_moveTraces',
  '_py2js_addTraces',
  '_py2js_restyle',
  '_py2js_update',
  '_js2py_update',
  '_js2py_restyle',
  '_py2js_animate',
  '_py2js_relayout',
  '_js2py_relayout',
  '_js2py_layoutDelta',
  '_js2py_traceDeltas',
  '_py2js_removeTraceProps',
  '_py2js_removeLayoutProps',
] as const;

/** Layout paths a zoom, pan, rotation, resize or mode switch sets (as relayout data names them). */
const VIEW_PATH = new RegExp(
  `^(?:${[
    String.raw`[xy]axis\d*\.(?:range(?:\[[01]\])?|autorange|showspikes)`,
    String.raw`scene\d*\.(?:camera(?:\..+)?|[xyz]axis\.(?:range(?:\[[01]\])?|autorange))`,
    String.raw`geo\d*\.(?:projection\.(?:rotation\.(?:lon|lat|roll)|scale)|center\.(?:lon|lat))`,
    String.raw`(?:mapbox|map)\d*\.(?:center(?:\.(?:lon|lat))?|zoom|bearing|pitch|_derived)`,
    String.raw`polar\d*\.(?:radialaxis\.(?:range(?:\[[01]\])?|autorange|angle)|angularaxis\.rotation)`,
    String.raw`ternary\d*\.[abc]axis\.min`,
    'dragmode|hovermode|autosize|width|height|lastInputTime',
  ].join('|')})$`,
);

/** A mode name (`zoom`, `x unified`, `perspective`) or a date on a date axis (`2024-03-01 12:00`). */
const VIEW_WORD =
  /^(?:[a-z]{1,16}(?: [a-z]{1,16})?|\d{4}-\d{2}-\d{2}(?:[ T]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?)?)$/;

/** Most values one view-only edit may hold (a map's `_derived` corner list is a few dozen). */
const MAX_VIEW_VALUES = 1_000;

/** True when `value` holds only numbers, booleans, nulls and view words (any nesting, bounded). */
function viewValue(value: unknown): boolean {
  const stack: unknown[] = [value];
  let seen = 0;
  while (stack.length > 0) {
    const v = stack.pop();
    if (v === null || typeof v === 'number' || typeof v === 'boolean') continue;
    if (typeof v === 'string' && VIEW_WORD.test(v)) continue;
    if (typeof v !== 'object') return false;
    for (const item of Array.isArray(v) ? v : Object.values(v)) {
      if (++seen > MAX_VIEW_VALUES) return false;
      stack.push(item);
    }
  }
  return true;
}

/**
 * True for a layout edit that only moves the view (zoom, pan, autorange, rotation, resize, drag
 * mode): numbers and mode names at view paths, which no figure table reads. Zooming sends a few of
 * these per gesture, so the widget book does not keep them (it keeps every other layout edit).
 */
export function isViewOnlyEdit(key: string, payload: Record<string, unknown>): boolean {
  if (key === '_py2js_relayout' || key === '_js2py_relayout') {
    const changes = payload.relayout_data;
    if (typeof changes !== 'object' || changes === null || Array.isArray(changes)) return false;
    return Object.entries(changes).every(([path, v]) => VIEW_PATH.test(path) && viewValue(v));
  }
  if (key === '_py2js_removeLayoutProps') {
    const paths = payload.remove_props;
    return (
      Array.isArray(paths) &&
      paths.every((p) => Array.isArray(p) && p.length <= 8 && VIEW_PATH.test(p.join('.')))
    );
  }
  return false;
}
