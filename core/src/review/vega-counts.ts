/**
 * Vega-lite charts as the per-group counts they draw. Every view is read, nested to any depth up to
 * MAX_DEPTH (layer, concat, hconcat, vconcat, facet and repeat `spec`), over the data it draws:
 * its own `data` (inline `values`, or a `name` looked up in the top-level `datasets`, as Altair
 * writes them), else its parent's after the parent's transforms; layers inherit their parent's
 * encoding. After the view's transforms (`vega-transforms.ts`), a count it draws is
 * - an encoding with a count aggregate (`aggregate: 'count'` — Altair's `count()` — or 'valid',
 *   'missing', or 'sum' of a count field), per group of the encoding's other fields and the
 *   facet fields around it (binned fields per bin as vega bins them: `vega-bins.ts`);
 * - an encoded field that a transform's count aggregate made (`aggregate`, `joinaggregate`),
 *   per row, a group drawn twice read at its smaller count.
 * A view with no group field draws a total and is not read (as before).
 */
import type { OnPartial, Table } from './table.js';
import { tallyTable } from './count-tables.js';
import { isRecord, type Json } from './json-value.js';
import type { Row } from './vega-expr.js';
import { fieldName, fieldValue, groupColumn, type Repeats } from './vega-fields.js';
import { aggregateOf, applyTransforms, isCountOp, type Frame } from './vega-transforms.js';

/** Views nested deeper than this are not read (the output is reported as read in part). */
const MAX_DEPTH = 20;
/** Row visits over all views of one chart before the rest is reported as not read. */
const MAX_WORK = 20_000_000;
/** Combinations of a `repeat` operator's fields read. */
const MAX_REPEATS = 1_000;

/** A field definition on a channel (an encoding's, or a facet operator's row/column/facet). */
interface ChannelDef {
  channel: string;
  def: Record<string, Json>;
}

/** What a view inherits from the views around it. */
interface Scope {
  frame: Frame | undefined;
  encoding: Record<string, Json> | undefined;
  facets: readonly ChannelDef[];
  repeats: Repeats;
  depth: number;
}

/** One chart's reading: its datasets, the tables found, the work done. */
interface Reading {
  mime: string;
  datasets: Record<string, Json> | undefined;
  tables: Table[];
  work: number;
  stopped: boolean;
  onPartial?: OnPartial;
}

/** Counts `n` row visits; false (and the rest reported as not read, once) past MAX_WORK. */
function charge(r: Reading, n: number, what: string): boolean {
  if (r.stopped) return false;
  r.work += n;
  if (r.work <= MAX_WORK) return true;
  r.stopped = true;
  r.onPartial?.(`vega-lite ${what} after the first ${MAX_WORK.toLocaleString('en')} rows read`);
  return false;
}

/** The rows of a `data` block: inline values, or a named dataset; undefined for a URL or none. */
function dataFrame(data: Json | undefined, r: Reading): Frame | undefined {
  if (!isRecord(data)) return undefined;
  let values = data.values;
  if (values === undefined && typeof data.name === 'string') values = r.datasets?.[data.name];
  if (!Array.isArray(values)) return undefined;
  // vega reads a value that is not an object as the row {data: value}.
  const rows: Row[] = values.map((v) => (isRecord(v) ? v : { data: v }));
  return { rows, counts: new Set() };
}

/** The channel definitions of an encoding: arrays (tooltip, detail) and conditions included. */
function channelDefs(enc: Record<string, Json>): ChannelDef[] {
  const out: ChannelDef[] = [];
  for (const [channel, v] of Object.entries(enc))
    for (const def of Array.isArray(v) ? v : [v]) {
      if (!isRecord(def)) continue;
      out.push({ channel, def });
      for (const c of Array.isArray(def.condition) ? def.condition : [def.condition])
        if (isRecord(c) && c.field !== undefined) out.push({ channel, def: c });
    }
  return out;
}

/** The facet operator's fields: one field definition (`facet`), or `row` and `column`. */
function facetDefs(facet: Json | undefined): ChannelDef[] {
  if (!isRecord(facet)) return [];
  if (facet.field !== undefined) return [{ channel: 'facet', def: facet }];
  return (['row', 'column'] as const).flatMap((channel) => {
    const def = facet[channel];
    return isRecord(def) ? [{ channel, def }] : [];
  });
}

/** The field combinations of a `repeat` operator (a list, or row/column/layer lists). */
function repeatCombos(repeat: Json | undefined): Record<string, string>[] {
  const lists: [string, string[]][] = Array.isArray(repeat)
    ? [['repeat', repeat.filter((x): x is string => typeof x === 'string')]]
    : isRecord(repeat)
      ? (['row', 'column', 'layer'] as const).flatMap((k) => {
          const l = repeat[k];
          return Array.isArray(l)
            ? [[k, l.filter((x): x is string => typeof x === 'string')] as [string, string[]]]
            : [];
        })
      : [];
  let combos: Record<string, string>[] = [{}];
  for (const [k, l] of lists) combos = combos.flatMap((c) => l.map((f) => ({ ...c, [k]: f })));
  return combos;
}

/** The counts one unit view draws over its frame (module comment). */
function unitCounts(frame: Frame, enc: Record<string, Json>, scope: Scope, r: Reading): void {
  const { rows, counts } = frame;
  const channels = channelDefs(enc);
  const named = (c: ChannelDef): string | undefined => fieldName(c.def, scope.repeats);
  const keys = [
    ...channels.filter((c) => {
      const f = named(c);
      return c.def.aggregate === undefined && f !== undefined && !counts.has(f);
    }),
    ...scope.facets.filter((c) => named(c) !== undefined),
  ];
  const tallies = channels.filter((c) => isCountOp(c.def.aggregate, named(c), counts));
  const shown = channels.filter((c) => {
    const f = named(c);
    return c.def.aggregate === undefined && f !== undefined && counts.has(f);
  });
  if (keys.length === 0 || (tallies.length === 0 && shown.length === 0)) return;
  if (!charge(r, rows.length * (keys.length + tallies.length + shown.length), 'views')) return;
  const columns = keys.map((c) => groupColumn(rows, named(c) as string, c.def, c.channel));
  const labels = rows.map((_, i) => columns.map((col) => col[i]).join(' / '));
  const name = keys.map((c) => named(c) as string).join(' / ');
  const read = new Set<string>();
  for (const c of tallies) {
    const op = c.def.aggregate as string;
    const field = named(c);
    const id = `${op}\u0000${field ?? ''}`;
    if (read.has(id)) continue;
    read.add(id);
    const byLabel = new Map<string, Row[]>();
    rows.forEach((row, i) => {
      const l = labels[i] as string;
      const g = byLabel.get(l);
      if (g === undefined) byLabel.set(l, [row]);
      else g.push(row);
    });
    const tally = new Map<string, number>();
    for (const [l, g] of byLabel) tally.set(l, aggregateOf(op, field, g) as number);
    r.tables.push(...tallyTable(r.mime, tally, name, 'vega-lite'));
  }
  for (const c of shown) {
    const field = named(c) as string;
    const tally = new Map<string, number>();
    rows.forEach((row, i) => {
      const n = Number(fieldValue(row, field));
      const l = labels[i] as string;
      if (Number.isFinite(n)) tally.set(l, Math.min(n, tally.get(l) ?? Infinity));
    });
    r.tables.push(...tallyTable(r.mime, tally, name, 'vega-lite'));
  }
}

/** Reads one view and the views inside it. */
function readView(view: Record<string, Json>, scope: Scope, r: Reading): void {
  if (r.stopped) return;
  if (scope.depth > MAX_DEPTH) {
    r.stopped = true;
    r.onPartial?.(`vega-lite views nested deeper than ${MAX_DEPTH}`);
    return;
  }
  let frame = 'data' in view ? dataFrame(view.data, r) : scope.frame;
  if (frame !== undefined && Array.isArray(view.transform)) {
    if (!charge(r, frame.rows.length * view.transform.length, 'transforms')) return;
    frame = applyTransforms(frame, view.transform);
  }
  const inner = { ...scope, frame, depth: scope.depth + 1 };
  const spec = view.spec;
  if (isRecord(spec) && view.repeat !== undefined) {
    const combos = repeatCombos(view.repeat).slice(0, MAX_REPEATS);
    for (const c of combos)
      readView(spec, { ...inner, encoding: undefined, repeats: { ...scope.repeats, ...c } }, r);
    return;
  }
  if (isRecord(spec)) {
    const facets = [...scope.facets, ...facetDefs(view.facet)];
    readView(spec, { ...inner, encoding: undefined, facets }, r);
    return;
  }
  const encoding = isRecord(view.encoding)
    ? { ...scope.encoding, ...view.encoding }
    : scope.encoding;
  let composed = false;
  if (Array.isArray(view.layer)) {
    composed = true;
    for (const x of view.layer) if (isRecord(x)) readView(x, { ...inner, encoding }, r);
  }
  for (const k of ['concat', 'hconcat', 'vconcat'] as const) {
    const sub = view[k];
    if (!Array.isArray(sub)) continue;
    composed = true;
    for (const x of sub) if (isRecord(x)) readView(x, { ...inner, encoding: undefined }, r);
  }
  if (!composed && frame !== undefined && encoding !== undefined)
    unitCounts(frame, encoding, scope, r);
}

/**
 * The per-group counts a vega-lite spec draws, over all its views (module comment); `onPartial`
 * hears of views left unread (nested too deep, past the work cap).
 */
export function vegaLiteCounts(
  mime: string,
  value: Record<string, Json>,
  onPartial?: OnPartial,
): Table[] {
  const datasets = isRecord(value.datasets) ? value.datasets : undefined;
  const r: Reading = {
    mime,
    datasets,
    tables: [],
    work: 0,
    stopped: false,
    ...(onPartial ? { onPartial } : {}),
  };
  readView(value, { frame: undefined, encoding: undefined, facets: [], repeats: {}, depth: 0 }, r);
  return r.tables;
}
