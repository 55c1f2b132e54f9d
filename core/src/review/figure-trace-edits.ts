/**
 * Trace edits as plotly.js applies them to a figure's list of traces (`figure-edits.ts` keeps the
 * list): restyle, animate, deleteTraces, moveTraces and the frontend's trace deltas. Each changes
 * `traces` in place and returns the traces it draws; indexes plotly.js would refuse change nothing,
 * and values given to a trace the list does not have are still returned, alone (fail closed).
 */
import { isRecord, type Json } from './json-value.js';
import { setPlotlyPath, type IndexBudget } from './plotly-path.js';

/** A trace object. */
type Trace = Record<string, Json>;

/** True when `t` names a trace of `traces`. */
export const hasTrace = (traces: readonly Json[], t: number): boolean =>
  Number.isInteger(t) && t >= 0 && t < traces.length;

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

/**
 * `Plotly.restyle(gd, style, traces)`: each named trace with each attribute set; a list value
 * gives the k-th named trace its k-th item (cycling), any other value (a typed array spec
 * included) goes to every named trace. Returns the traces it drew.
 */
export function restyleTraces(
  traces: Json[],
  style: Json | undefined,
  which: Json | undefined,
  budget: IndexBudget,
): Json[] {
  if (!isRecord(style)) return [];
  return targets(which, traces.length).map((t, pos) => {
    const old = hasTrace(traces, t) ? traces[t] : undefined;
    let trace: Trace = isRecord(old) ? { ...old } : {};
    for (const [path, v] of Object.entries(style)) {
      const value = Array.isArray(v) ? v[pos % Math.max(v.length, 1)] : v;
      if (value !== undefined) trace = setPlotlyPath(trace, path, value, budget);
    }
    if (hasTrace(traces, t)) traces[t] = trace;
    return trace;
  });
}

/** `Plotly.animate` to frame traces: each item merged over the trace it updates. */
export function animateTraces(
  traces: Json[],
  items: Json | undefined,
  which: Json | undefined,
): Json[] {
  if (!Array.isArray(items)) return [];
  const at = Array.isArray(which) ? which : [];
  return items.map((tr, k) => {
    const t = at[k] ?? k;
    const old = typeof t === 'number' && hasTrace(traces, t) ? traces[t] : undefined;
    const next = isRecord(tr) && isRecord(old) ? { ...old, ...tr } : tr;
    if (typeof t === 'number' && hasTrace(traces, t) && isRecord(next)) traces[t] = next;
    return next;
  });
}

/** `Plotly.deleteTraces`. */
export function deleteTraces(traces: Json[], list: Json | undefined): void {
  const gone = traceIndexes(list, traces.length);
  if (gone === undefined) return;
  for (const k of gone.sort((a, b) => b - a)) traces.splice(k, 1);
}

/** `Plotly.moveTraces(gd, current, next)`: next omitted moves them to the end, in order. */
export function moveTraces(
  traces: Json[],
  current: Json | undefined,
  next: Json | undefined,
): void {
  const count = traces.length;
  const from = traceIndexes(current, count);
  if (from === undefined) return;
  const to =
    next === undefined || next === null
      ? from.map((_, k) => count - from.length + k)
      : traceIndexes(next, count);
  if (to === undefined || to.length !== from.length) return;
  const moving = from.map((k, i) => ({ at: to[i] as number, trace: traces[k] as Json }));
  const moved = new Set(from);
  const staying = traces.filter((_, k) => !moved.has(k));
  moving.sort((a, b) => a.at - b.at);
  for (const m of moving) staying.splice(m.at, 0, m.trace);
  traces.splice(0, traces.length, ...staying);
}

/** Trace deltas the frontend reports, each merged over the trace with its `uid`. */
export function mergeTraceDeltas(traces: Json[], list: Json | undefined): Json[] {
  if (!Array.isArray(list)) return [];
  const byUid = new Map<Json, number>();
  traces.forEach((t, k) => {
    if (isRecord(t) && t.uid !== undefined && !byUid.has(t.uid)) byUid.set(t.uid, k);
  });
  return list.map((d) => {
    const k = isRecord(d) ? byUid.get(d.uid as Json) : undefined;
    const old = k === undefined ? undefined : traces[k];
    if (!isRecord(d) || k === undefined || !isRecord(old)) return d;
    const next = { ...old, ...d };
    traces[k] = next;
    return next;
  });
}
