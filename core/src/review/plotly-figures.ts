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
import { EDIT_KEYS, EditedFigure, type Figure } from './figure-edits.js';
import { isRecord, type Json } from './json-value.js';
import type { OnPartial } from './table.js';
import { FIGURE_EDITS } from './widget-state.js';

/** A figure as `plotlyTables` reads it: `data` (traces), `layout`, maybe `frames`. */
export type { Figure };

/** Plotly trace type names: lower-case words (`bar`, `scattergl`, `histogram2d`). */
const TRACE_TYPE = /^[a-z][a-z0-9]{1,30}$/;

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

/**
 * The figures a plotly FigureWidget's state draws, or undefined for the state of any other widget:
 * its traces and layout as first drawn, then the edit messages applied over them in the order the
 * kernel sent them (figure-edits.ts: traces added, deleted, moved, restyled, updated, animated,
 * relaid out; the frontend's edits as the kernel echoes them) — those the widget book kept after
 * the kernel reset them (FIGURE_EDITS, oldest first), then those the state still holds and the
 * book did not keep, each once. An index edit the book refused (past its caps, or into a typed
 * array; figure-edits.ts) is told to `onPartial`: plotly may draw it, so the output is held.
 */
export function widgetFigures(state: Figure, onPartial?: OnPartial): Figure[] | undefined {
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
  const figure = new EditedFigure(base, layoutOf);
  const edits = Array.isArray(kept) ? kept.filter(isRecord) : [];
  // An edit the state still holds is among those kept (the same object): read it once.
  const keptPayloads = new Set<Json>(edits.flatMap((e) => Object.values(e)));
  const readEdits = (holder: Figure): void => {
    for (const key of EDIT_KEYS) {
      const v = holder[key];
      if (isRecord(v) && (holder !== state || !keptPayloads.has(v))) figure.apply(key, v);
    }
  };
  for (const e of edits) readEdits(e);
  readEdits(state);
  if (figure.indexEditUnfollowed)
    onPartial?.("a FigureWidget's edits of list items the check cannot follow");
  return figure.finish();
}

/** True for a trace object with a plotly trace type. */
function isTrace(t: Json): boolean {
  return isRecord(t) && typeof t.type === 'string' && TRACE_TYPE.test(t.type);
}
