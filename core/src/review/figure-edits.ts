/**
 * Why: a plotly FigureWidget draws its edits one over another — a restyle that sets the counts,
 * then one that sets the labels, shows both at once — so each edit is applied, in the order the
 * kernel sent it, over a copy of the traces and layout the edits before it left. The figures to
 * read are the widget as first drawn, each trace an edit changes as that edit leaves it (with the
 * layout then drawn: every intermediate state of every trace), and at the end every trace not yet
 * read with the final layout. Edits are applied as plotly.js applies them (restyle, update,
 * animate, addTraces, deleteTraces, moveTraces, relayout, trace deltas by uid); a message plotly.js
 * would refuse (bad trace indexes) changes nothing, and values given to a trace the figure does not
 * have are still read, alone (fail closed: the book may not know every trace the figure has).
 */
import { isRecord, type Json } from './plot-tables.js';

/** A figure as `plotlyTables` reads it: `data` (traces), `layout`, maybe `frames`. */
export type Figure = Record<string, Json>;

/** Path parts that would reach an object's prototype instead of a key of it. */
const UNSAFE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** `target` with `value` set at the dotted `path` (`'yaxis.title.text'`), copying what it changes. */
function setPath(target: Figure, path: string, value: Json): void {
  const keys = path.split('.');
  if (keys.some((k) => UNSAFE_KEYS.has(k))) return;
  let node = target;
  for (let k = 0; k < keys.length - 1; k++) {
    const key = keys[k] as string;
    const next = node[key];
    const copy: Figure = isRecord(next) ? { ...next } : {};
    node[key] = copy;
    node = copy;
  }
  node[keys[keys.length - 1] as string] = value;
}

/** `layout` after a relayout (`{path: value}`, dotted paths), as plotly.js applies it. */
function relayout(layout: Figure, changes: Json | undefined): Figure {
  if (!isRecord(changes)) return layout;
  const out: Figure = { ...layout };
  for (const [path, value] of Object.entries(changes)) setPath(out, path, value);
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
  private readonly traces: Json[];
  private layout: Figure;
  private readonly figures: Figure[] = [];
  /** The layout each trace (object) was last read with: a trace is read once per layout. */
  private readonly readWith = new Map<Figure, Figure>();

  /** The widget as first drawn (always read, as a figure of its own). */
  constructor(base: readonly Json[], layout: Figure) {
    this.traces = [...base];
    this.layout = layout;
    this.figures.push({ data: [...base], layout });
    for (const t of base) if (isRecord(t)) this.readWith.set(t, layout);
  }

  /** Reads the traces of `data` not yet read with the current layout (values alone included). */
  private read(data: readonly Json[]): void {
    const fresh = data.filter((t) => !isRecord(t) || this.readWith.get(t) !== this.layout);
    if (fresh.length === 0) return;
    this.figures.push({ data: fresh, layout: this.layout });
    for (const t of fresh) if (isRecord(t)) this.readWith.set(t, this.layout);
  }

  /** True when `t` names a trace the figure has. */
  private has(t: number): boolean {
    return Number.isInteger(t) && t >= 0 && t < this.traces.length;
  }

  /** Sets the layout a relayout leaves; every trace is then drawn with it. */
  private relaidOut(changes: Json | undefined): void {
    if (!isRecord(changes)) return;
    this.layout = relayout(this.layout, changes);
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
      const trace: Figure = isRecord(old) ? { ...old } : {};
      for (const [path, v] of Object.entries(style)) {
        const value = Array.isArray(v) ? v[pos % Math.max(v.length, 1)] : v;
        if (value !== undefined) setPath(trace, path, value);
      }
      if (this.has(t)) this.traces[t] = trace;
      return trace;
    });
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
   * Applies one edit message (`key` the FigureWidget trait it came in, `m` its payload) and reads
   * what it draws: the traces it changes, or every trace when it changes the layout.
   */
  apply(key: string, m: Figure): void {
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
    if (this.layout !== before) this.read(this.traces);
  }

  /** The figures to read: as first drawn, each edit's traces as left, every trace as drawn last. */
  finish(): Figure[] {
    this.read(this.traces);
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
] as const;
