/**
 * Vega-lite fields as the count reader reads them: a field's value in a row (nested `a.b` paths,
 * `{repeat: …}` references), a field definition's group values (binned as vega bins them, else
 * as given) and the field predicates of a `filter` transform.
 */
import { isRecord, show, type Json } from './json-value.js';
import { binParams, binValues } from './vega-bins.js';
import { compileExpr, isTruthy, type Row } from './vega-expr.js';

/** The fields a `repeat` operator puts in `{repeat: 'row' | 'column' | 'layer' | 'repeat'}`. */
export type Repeats = Readonly<Record<string, string>>;

/** The field a definition names (a string, or a `{repeat}` reference resolved), else undefined. */
export function fieldName(def: Record<string, Json>, repeats: Repeats): string | undefined {
  const f = def.field;
  if (typeof f === 'string') return f;
  if (isRecord(f) && typeof f.repeat === 'string') return repeats[f.repeat];
  return undefined;
}

/** A field's value in a row: the key as written, else a dotted path (vega-lite's nested access). */
export function fieldValue(row: Row, field: string): Json | undefined {
  if (Object.hasOwn(row, field)) return row[field];
  if (!field.includes('.') && !field.includes('\\')) return undefined;
  let v: Json | undefined = row;
  for (const part of field.split(/(?<!\\)\./)) {
    const key = part.replace(/\\(.)/g, '$1');
    if (!isRecord(v) || !Object.hasOwn(v, key)) return undefined;
    v = v[key];
  }
  return v;
}

/** The column of a field's values over the rows. */
export const column = (rows: readonly Row[], field: string): (Json | undefined)[] =>
  rows.map((r) => fieldValue(r, field));

/**
 * The group each row falls in for a field definition on `channel`, as cell text: the bin start
 * when vega-lite bins the field (its bins worked out as vega does, `vega-bins.ts`), else the value
 * as given — a `timeUnit`, 'binned' data, or a binned field holding a value that is no number are
 * read per value (never coarser than drawn: fail closed).
 */
export function groupColumn(
  rows: readonly Row[],
  field: string,
  def: Record<string, Json>,
  channel: string | undefined,
): string[] {
  const values = column(rows, field);
  const p = binParams(def.bin, channel);
  const bins = p === undefined ? undefined : binValues(values, p);
  if (bins !== undefined) return bins.values.map((v) => (v === null ? '' : String(v)));
  return values.map(show);
}

/** A row test compiled from a vega-lite filter, or undefined when it is not one read. */
export type RowTest = (row: Row) => boolean;

const scalar = (v: Json | undefined): v is string | number | boolean | null =>
  v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';

/** vega's `isValid(v) && isFinite(+v)` (a `valid` predicate's test). */
const isValidNumber = (v: Json | undefined): boolean =>
  v !== null &&
  v !== undefined &&
  !(typeof v === 'number' && isNaN(v)) &&
  Number.isFinite(Number(v));

/** A field predicate (`equal`, `lt`, `lte`, `gt`, `gte`, `range`, `oneOf`, `valid`). */
function fieldPredicate(p: Record<string, Json>): RowTest | undefined {
  if (typeof p.field !== 'string' || p.timeUnit !== undefined) return undefined;
  const f = p.field;
  const at = (r: Row): Json | undefined => fieldValue(r, f);
  if ('equal' in p) return scalar(p.equal) ? (r) => at(r) === p.equal : undefined;
  if ('oneOf' in p || 'in' in p) {
    const set = p.oneOf ?? p.in;
    if (!Array.isArray(set) || !set.every(scalar)) return undefined;
    const members = new Set<Json>(set);
    return (r) => members.has(at(r) ?? null);
  }
  if ('valid' in p) return (r) => isValidNumber(at(r)) === (p.valid === true);
  if ('range' in p) {
    const [lo, hi] = Array.isArray(p.range) ? p.range : [];
    if (!Array.isArray(p.range) || p.range.length !== 2 || ![lo, hi].every(scalar))
      return undefined;
    return (r) => {
      const v = at(r) as number;
      return (lo === null || v >= (lo as number)) && (hi === null || v <= (hi as number));
    };
  }
  for (const [op, t] of [
    ['lt', (a: number, b: number) => a < b],
    ['lte', (a: number, b: number) => a <= b],
    ['gt', (a: number, b: number) => a > b],
    ['gte', (a: number, b: number) => a >= b],
  ] as const) {
    const b = p[op];
    if (b !== undefined) return scalar(b) ? (r) => t(at(r) as number, b as number) : undefined;
  }
  return undefined;
}

/** A vega-lite predicate (field predicates, `and`/`or`/`not`, expression strings) as a row test. */
export function rowTest(p: Json | undefined): RowTest | undefined {
  if (typeof p === 'string') {
    const e = compileExpr(p);
    return e && ((r) => isTruthy(e(r)));
  }
  if (!isRecord(p)) return undefined;
  if (Array.isArray(p.and) || Array.isArray(p.or)) {
    const parts = ((p.and ?? p.or) as Json[]).map(rowTest);
    if (parts.some((t) => t === undefined)) return undefined;
    const ts = parts as RowTest[];
    return Array.isArray(p.and) ? (r) => ts.every((t) => t(r)) : (r) => ts.some((t) => t(r));
  }
  if ('not' in p) {
    const t = rowTest(p.not);
    return t && ((r) => !t(r));
  }
  return fieldPredicate(p);
}
