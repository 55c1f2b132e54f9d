/**
 * Why: plotly figures are drawn from more places than the plotly MIME type. A figure dict shown in
 * another JSON type, and above all a plotly `FigureWidget`, whose traces live in widget state
 * (plotly.py 5: `_data` / `_layout`; plotly.py 6: `_widget_data` / `_widget_layout`) and whose
 * later edits arrive as state too (`_py2js_restyle`, `_py2js_update`, … from the kernel, and the
 * frontend's `_js2py_*` echoed back). plotly.py 6 writes numpy data there as typed arrays
 * (`{dtype, bdata}`), so `go.FigureWidget(px.bar(s.value_counts()))` carries its counts only as
 * base64. This module finds those figures (as plain figure dicts the plotly table reader takes);
 * json-table.ts reads them like the plotly MIME type, typed arrays decoded.
 */
import { isRecord, type Json } from './plot-tables.js';
import { FIGURE_EDITS } from './widget-state.js';

/** A figure as `plotlyTables` reads it: `data` (traces), `layout`, maybe `frames`. */
export type Figure = Record<string, Json>;

/** Plotly trace type names: lower-case words (`bar`, `scattergl`, `histogram2d`). */
const TRACE_TYPE = /^[a-z][a-z0-9]{1,30}$/;

/** Path parts that would reach an object's prototype instead of a key of it. */
const UNSAFE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * True for a plotly figure by its shape (`fig.to_dict()`, `fig.to_plotly_json()`): `data` a
 * non-empty list of traces, each an object with a plotly trace `type`, or any traces under a
 * `layout` object. A data resource (`schema` with `data`) is a table, never a figure.
 */
export function isFigureShaped(v: Record<string, Json>): boolean {
  const data = v.data;
  if (!Array.isArray(data) || data.length === 0 || v.schema !== undefined) return false;
  if (!data.every(isRecord)) return false;
  if (isRecord(v.layout)) return true;
  return data.every((t) => isRecord(t) && typeof t.type === 'string' && TRACE_TYPE.test(t.type));
}

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

/** The trace indexes an edit names (`null`: every trace), as plotly.js reads them. */
function targets(traces: Json | undefined, count: number): number[] {
  if (typeof traces === 'number') return [traces];
  if (Array.isArray(traces)) return traces.filter((t): t is number => typeof t === 'number');
  return Array.from({ length: count }, (_, k) => k);
}

/**
 * The traces a restyle draws (`Plotly.restyle(gd, style, traces)`): each named trace with each
 * attribute set; a list value gives the k-th named trace its k-th item (cycling), any other value
 * (a typed array spec included) goes to every named trace.
 */
function restyled(base: readonly Json[], style: Json | undefined, which: Json | undefined): Json[] {
  if (!isRecord(style)) return [];
  return targets(which, base.length).map((t, pos) => {
    const old = base[t];
    const trace: Figure = isRecord(old) ? { ...old } : {};
    for (const [path, v] of Object.entries(style)) {
      const value = Array.isArray(v) ? v[pos % Math.max(v.length, 1)] : v;
      if (value !== undefined) setPath(trace, path, value);
    }
    return trace;
  });
}

/** Each item of `items` drawn over the trace it updates (by `which`, else by position). */
function merged(base: readonly Json[], items: Json | undefined, which?: Json): Json[] {
  if (!Array.isArray(items)) return [];
  const at = Array.isArray(which) ? which : [];
  return items.map((tr, k) => {
    const t = at[k] ?? k;
    const old = typeof t === 'number' ? base[t] : undefined;
    return isRecord(tr) && isRecord(old) ? { ...old, ...tr } : tr;
  });
}

/** A trace delta drawn over the trace with its `uid` (plotly.py tracks traces by uid). */
function byUid(base: readonly Json[], deltas: Json | undefined): Json[] {
  if (!Array.isArray(deltas)) return [];
  return deltas.map((d) => {
    if (!isRecord(d)) return d;
    const old = base.find((t) => isRecord(t) && t.uid !== undefined && t.uid === d.uid);
    return isRecord(old) ? { ...old, ...d } : d;
  });
}

/**
 * The figures a plotly FigureWidget's state draws, or undefined for the state of any other widget:
 * its traces and layout, and each edit message over them (traces added, restyled, updated,
 * animated, relaid out; the frontend's edits as the kernel echoes them) — those the state holds
 * now and those the widget book kept after the kernel reset them (FIGURE_EDITS), each once.
 */
export function widgetFigures(state: Figure): Figure[] | undefined {
  const data6 = state._widget_data;
  const data5 = state._data;
  const kept = state[FIGURE_EDITS];
  const plotly5 =
    Array.isArray(data5) && (state._model_name === 'FigureModel' || data5.some(isTrace));
  const message =
    Array.isArray(kept) ||
    Object.keys(state).some((k) => k.startsWith('_py2js_') || k.startsWith('_js2py_'));
  if (!Array.isArray(data6) && !plotly5 && !message) return undefined;
  const base: Json[] = Array.isArray(data6) ? data6 : plotly5 ? data5 : [];
  const layoutOf = isRecord(state._widget_layout)
    ? state._widget_layout
    : isRecord(state._layout)
      ? state._layout
      : {};
  const figures: Figure[] = [{ data: base, layout: layoutOf }];
  const edits = Array.isArray(kept) ? kept.filter(isRecord) : [];
  // An edit the state still holds is among those kept (the same object): read it once.
  const keptPayloads = new Set<Json>(edits.flatMap((e) => Object.values(e)));
  const add = (data: Json[], layout: Figure = layoutOf): void => {
    if (data.length > 0 || layout !== layoutOf) figures.push({ data, layout });
  };
  const readEdits = (holder: Figure): void => {
    const payload = (key: string): Figure | undefined => {
      const v = holder[key];
      return isRecord(v) && (holder !== state || !keptPayloads.has(v)) ? v : undefined;
    };
    const addTraces = payload('_py2js_addTraces');
    if (addTraces) add(Array.isArray(addTraces.trace_data) ? addTraces.trace_data : []);
    const restyle = payload('_py2js_restyle');
    if (restyle) add(restyled(base, restyle.restyle_data, restyle.restyle_traces));
    for (const key of ['_py2js_update', '_js2py_update', '_js2py_restyle']) {
      const m = payload(key);
      if (m) add(restyled(base, m.style_data, m.style_traces), relayout(layoutOf, m.layout_data));
    }
    const animate = payload('_py2js_animate');
    if (animate)
      add(
        merged(base, animate.style_data, animate.style_traces),
        relayout(layoutOf, animate.layout_data),
      );
    for (const key of ['_py2js_relayout', '_js2py_relayout']) {
      const m = payload(key);
      if (m) add(base, relayout(layoutOf, m.relayout_data));
    }
    const layoutDelta = payload('_js2py_layoutDelta');
    if (layoutDelta) add(base, relayout(layoutOf, layoutDelta.layout_delta));
    const deltas = payload('_js2py_traceDeltas');
    if (deltas) add(byUid(base, deltas.trace_deltas));
  };
  readEdits(state);
  for (const e of edits) readEdits(e);
  return figures;
}

/** True for a trace object with a plotly trace type. */
function isTrace(t: Json): boolean {
  return isRecord(t) && typeof t.type === 'string' && TRACE_TYPE.test(t.type);
}
