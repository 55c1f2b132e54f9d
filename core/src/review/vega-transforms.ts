/**
 * The rows a vega-lite view draws after its `transform` list, and which of their fields are row
 * counts. Followed: `filter`, `calculate`, `aggregate`, `joinaggregate`, `bin`, `timeUnit`. Any
 * other transform (fold, pivot, window, lookup, flatten, impute, sample, density, …) is passed
 * over: the later transforms and the encoding read the rows as given, so its count aggregates
 * are still read (per value of their group fields) and never pass unread.
 */
import { isRecord, type Json } from './json-value.js';
import { binParams, binValues } from './vega-bins.js';
import { compileExpr, exprFields, type Row } from './vega-expr.js';
import { column, fieldValue, rowTest } from './vega-fields.js';

/** Rows a view draws, and the fields of them that are row counts (from a count aggregate). */
export interface Frame {
  rows: Row[];
  counts: ReadonlySet<string>;
}

/** Aggregate ops whose value counts rows: all rows, rows with a valid value, rows without. */
export const COUNT_OPS: ReadonlySet<string> = new Set(['count', 'valid', 'missing']);

/** Whether `v` is a valid value (vega's `isValid`: not null, undefined or NaN). */
export const isValid = (v: Json | undefined): boolean =>
  v !== null && v !== undefined && !(typeof v === 'number' && isNaN(v));

/**
 * An aggregate op over a group's rows as it reads for counts: count/valid/missing count rows,
 * sum adds numbers (a count when the summed field is one); others are not read (null).
 */
export function aggregateOf(op: string, field: string | undefined, rows: readonly Row[]): Json {
  const at = (r: Row): Json | undefined => (field === undefined ? undefined : fieldValue(r, field));
  if (op === 'count') return rows.length;
  if (op === 'valid') return rows.filter((r) => isValid(at(r))).length;
  if (op === 'missing') return rows.filter((r) => !isValid(at(r))).length;
  if (op === 'sum')
    return rows.reduce((s, r) => {
      const v = Number(at(r));
      return Number.isFinite(v) ? s + v : s;
    }, 0);
  return null;
}

/** Whether an aggregate op over `field` gives a row count in a frame whose counts are `counts`. */
export const isCountOp = (
  op: Json | undefined,
  field: string | undefined,
  counts: ReadonlySet<string>,
): boolean =>
  (typeof op === 'string' && COUNT_OPS.has(op)) ||
  (op === 'sum' && field !== undefined && counts.has(field));

/** Rows grouped by the values of `fields` (in order of first appearance). */
function groups(rows: readonly Row[], fields: readonly string[]): Row[][] {
  const by = new Map<string, Row[]>();
  for (const r of rows) {
    const k = JSON.stringify(fields.map((f) => fieldValue(r, f) ?? null));
    const g = by.get(k);
    if (g === undefined) by.set(k, [r]);
    else g.push(r);
  }
  return [...by.values()];
}

interface AggregateOp {
  op: string;
  field?: string;
  as: string;
}

function ops(list: Json | undefined): AggregateOp[] | undefined {
  if (!Array.isArray(list)) return undefined;
  const out: AggregateOp[] = [];
  for (const o of list) {
    if (!isRecord(o) || typeof o.op !== 'string') return undefined;
    const field = typeof o.field === 'string' ? o.field : undefined;
    const as = typeof o.as === 'string' ? o.as : field === undefined ? o.op : `${o.op}_${field}`;
    out.push({ op: o.op, as, ...(field !== undefined ? { field } : {}) });
  }
  return out;
}

const strings = (v: Json | undefined): string[] =>
  Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];

function withCounts(
  counts: ReadonlySet<string>,
  list: readonly AggregateOp[],
  keep: boolean,
): Set<string> {
  const out = new Set(keep ? counts : []);
  for (const o of list) {
    if (isCountOp(o.op, o.field, counts)) out.add(o.as);
    else out.delete(o.as);
  }
  return out;
}

/** One transform applied to a frame (unread ones pass the frame on as given). */
function applyOne(frame: Frame, t: Record<string, Json>): Frame {
  const { rows, counts } = frame;
  if ('filter' in t) {
    // A filter only removes rows, so a group it leaves small may be large before it. One that is
    // not read (a selection parameter, an expression outside vega-expr.ts) is passed over and
    // the counts are read over the rows as given: the simplest choice, and not fail closed for a
    // group it would make small — no finding is added for the filter itself.
    const test = rowTest(t.filter);
    return test === undefined ? frame : { rows: rows.filter(test), counts };
  }
  if (typeof t.calculate === 'string' && typeof t.as === 'string') {
    const as = t.as;
    const e = compileExpr(t.calculate);
    // An expression not read is a function of the fields it reads: grouping by them is never
    // coarser than grouping by its value (fail closed).
    const fields = exprFields(t.calculate);
    const value =
      e ??
      ((r: Row): Json => JSON.stringify(fields.map((f) => (Object.hasOwn(r, f) ? r[f] : null))));
    const out = new Set(counts);
    out.delete(as);
    return { rows: rows.map((r) => ({ ...r, [as]: value(r) ?? null })), counts: out };
  }
  if ('aggregate' in t || 'joinaggregate' in t) {
    const join = 'joinaggregate' in t;
    const list = ops(join ? t.joinaggregate : t.aggregate);
    if (list === undefined) return frame;
    const by = strings(t.groupby);
    const out: Row[] = [];
    for (const g of groups(rows, by)) {
      const values: Row = {};
      for (const o of list) values[o.as] = aggregateOf(o.op, o.field, g);
      if (join) for (const r of g) out.push({ ...r, ...values });
      else {
        const first = g[0] as Row;
        const keys: Row = {};
        for (const f of by) keys[f] = fieldValue(first, f) ?? null;
        out.push({ ...keys, ...values });
      }
    }
    return { rows: out, counts: withCounts(counts, list, join) };
  }
  if ('bin' in t && typeof t.field === 'string') {
    const as = typeof t.as === 'string' ? [t.as, `${t.as}_end`] : strings(t.as);
    const p = binParams(t.bin, undefined);
    const values = column(rows, t.field);
    const b = p === undefined ? undefined : binValues(values, p);
    const start = (i: number): Json =>
      b === undefined ? (values[i] ?? null) : (b.values[i] ?? null);
    const end = (i: number): Json => {
      const s = b?.values[i];
      return b === undefined
        ? (values[i] ?? null)
        : s == null || b.bins === undefined
          ? null
          : s + b.bins.step;
    };
    const [a0, a1] = as;
    return {
      rows: rows.map((r, i) => ({
        ...r,
        ...(a0 !== undefined ? { [a0]: start(i) } : {}),
        ...(a1 !== undefined ? { [a1]: end(i) } : {}),
      })),
      counts,
    };
  }
  if ('timeUnit' in t && typeof t.field === 'string' && typeof t.as === 'string') {
    // Read per value (never coarser than the time units drawn: fail closed).
    const [f, as] = [t.field, t.as];
    return { rows: rows.map((r) => ({ ...r, [as]: fieldValue(r, f) ?? null })), counts };
  }
  return frame;
}

/** The frame after a view's `transform` list. */
export function applyTransforms(frame: Frame, list: Json | undefined): Frame {
  if (!Array.isArray(list)) return frame;
  let out = frame;
  for (const t of list) if (isRecord(t)) out = applyOne(out, t);
  return out;
}
