/**
 * What every in-notebook duckdb-wasm engine shares: the lockdown run before any user SQL, the
 * shape of a displayed result, and how an Arrow result table becomes one (cell text: cell-format).
 * The npm build of duckdb-wasm would fetch Parquet/JSON extensions from the network and its Node
 * build reads the real file system, so every host must run DUCKDB_WASM_LOCKDOWN first.
 */
import { formatCell, type CellKind, type IntervalParts } from './cell-format.js';

/** Statements run before any user SQL; the last one makes them irreversible. */
export const DUCKDB_WASM_LOCKDOWN: readonly string[] = [
  'SET autoload_known_extensions=false',
  'SET autoinstall_known_extensions=false',
  'SET allow_community_extensions=false',
  'SET enable_external_access=false',
  'SET lock_configuration=true',
];

/** A query result ready to render: column names and display strings (null for SQL NULL). */
export interface QueryResult {
  columns: string[];
  rows: (string | null)[][];
  /** Rows of the whole result (a lower bound when `countStopped`). */
  totalRows: number;
  /** True when counting stopped at a ceiling (capped-result.ts): there are more than `totalRows`. */
  countStopped: boolean;
  elapsedMs: number;
}

/** Arrow's type ids (the `Type` enum of the Arrow format's Schema.fbs). */
const ARROW_TYPE_ID = {
  binary: 4,
  decimal: 7,
  date: 8,
  time: 9,
  timestamp: 10,
  interval: 11,
  fixedSizeBinary: 15,
  largeBinary: 19,
} as const;

/** Arrow's IntervalUnit (Schema.fbs): YEAR_MONTH, DAY_TIME, MONTH_DAY_NANO (DuckDB's). */
const INTERVAL_UNIT = { yearMonth: 0, dayTime: 1, monthDayNano: 2 } as const;

/** DuckDB's name for a type it exports as an `arrow.opaque` extension (UHUGEINT, BIGNUM), if any. */
function duckdbOpaqueType(metadata: ReadonlyMap<string, string> | undefined): string | undefined {
  if (metadata?.get('ARROW:extension:name') !== 'arrow.opaque') return undefined;
  try {
    const parsed = JSON.parse(metadata.get('ARROW:extension:metadata') ?? '') as {
      type_name?: unknown;
      vendor_name?: unknown;
    };
    return parsed.vendor_name === 'DuckDB' && typeof parsed.type_name === 'string'
      ? parsed.type_name
      : undefined;
  } catch {
    return undefined;
  }
}

/** Time of day kinds by Arrow's TimeUnit (SECOND, MILLISECOND, MICROSECOND, NANOSECOND). */
const TIME_KINDS: readonly CellKind[] = ['time_s', 'time_ms', 'time_us', 'time_ns'];

/** The cell kind of an Arrow column (apache-arrow's DataType by `typeId` and `unit`; Field metadata). */
export function arrowCellKind(
  type: { readonly typeId: number; readonly unit?: number },
  metadata?: ReadonlyMap<string, string>,
): CellKind {
  switch (type.typeId) {
    case ARROW_TYPE_ID.date:
      return 'date';
    case ARROW_TYPE_ID.timestamp:
      return 'timestamp';
    case ARROW_TYPE_ID.time:
      return TIME_KINDS[type.unit ?? 0] ?? 'other';
    case ARROW_TYPE_ID.decimal:
      return 'decimal';
    case ARROW_TYPE_ID.interval:
      return 'interval';
    case ARROW_TYPE_ID.binary:
    case ARROW_TYPE_ID.largeBinary:
    case ARROW_TYPE_ID.fixedSizeBinary: {
      const opaque = duckdbOpaqueType(metadata);
      return opaque === 'uhugeint' ? 'uhugeint' : opaque === 'bignum' ? 'bignum' : 'blob';
    }
    default:
      return 'other';
  }
}

/** One record batch of a column (apache-arrow's Data): its first row in its buffers and raw values. */
export interface ResultChunkLike {
  readonly offset: number;
  readonly length: number;
  readonly values?: unknown;
}

/** A result column (apache-arrow's Vector): decoded values, and its chunks for raw reads. */
export interface ResultColumnLike {
  /** The decoded value at a row (null for SQL NULL). */
  get(row: number): unknown;
  readonly data?: readonly ResultChunkLike[];
}

/** An Arrow column type as far as cell text needs it (apache-arrow's DataType fits). */
export interface ResultTypeLike {
  readonly typeId: number;
  readonly unit?: number;
  readonly scale?: number;
  readonly children?: readonly ResultFieldLike[];
}

/** An Arrow field as far as cell text needs it (apache-arrow's Field fits). */
export interface ResultFieldLike {
  readonly name: string;
  readonly type: ResultTypeLike;
  readonly metadata?: ReadonlyMap<string, string>;
}

/** The parts of an Arrow table a result needs (apache-arrow's Table fits; core does not import it). */
export interface ResultTableLike {
  readonly numRows: number;
  readonly schema: { readonly fields: readonly ResultFieldLike[] };
  /** The column at an index, or null. */
  getChildAt(index: number): ResultColumnLike | null;
}

/**
 * A MONTH_DAY_NANO interval read from its chunk's raw buffer (int32 months, int32 days, int64
 * nanoseconds per row, little-endian). apache-arrow 17 decodes this unit as if it were YEAR_MONTH
 * (one int32 per row), and slices its buffer with the wrong stride, so only unsliced chunks, as
 * DuckDB's results arrive, are read; anything else is undefined.
 */
function rawMonthDayNano(column: ResultColumnLike, row: number): IntervalParts | undefined {
  let start = 0;
  for (const chunk of column.data ?? []) {
    if (row < start + chunk.length) {
      const v = chunk.values;
      const at = 4 * (row - start);
      if (chunk.offset !== 0 || !(v instanceof Int32Array) || v.length < at + 4) return undefined;
      const nanos = (BigInt(v[at + 3]!) << 32n) | BigInt(v[at + 2]! >>> 0);
      return { months: v[at]!, days: v[at + 1]!, nanos };
    }
    start += chunk.length;
  }
  return undefined;
}

/** An interval cell as its parts, or as apache-arrow decoded it when it cannot be read (or is NULL). */
function intervalAt(column: ResultColumnLike, row: number, unit: number | undefined): unknown {
  const value = column.get(row);
  if (value === null || value === undefined) return value;
  if (unit === INTERVAL_UNIT.monthDayNano) return rawMonthDayNano(column, row) ?? value;
  if (!(value instanceof Int32Array) || value.length < 2) return value;
  // apache-arrow gives YEAR_MONTH as [years, months] and DAY_TIME as [days, milliseconds].
  if (unit === INTERVAL_UNIT.dayTime) {
    return { months: 0, days: value[0]!, nanos: BigInt(value[1]!) * 1_000_000n };
  }
  return { months: value[0]! * 12 + value[1]!, days: 0, nanos: 0n };
}

/** Arrow's nested type ids: List, Struct, FixedSizeList, Map. */
const NESTED_TYPE_ID = { list: 12, struct: 13, fixedSizeList: 16, map: 17 } as const;

/** Leaf kinds written inside nested values as bare JSON numbers (their exact digits). */
const NUMBER_KINDS: ReadonlySet<CellKind> = new Set(['decimal', 'uhugeint', 'bignum']);

/** A field of unknown type, for a nested value whose child field is missing. */
const UNTYPED: ResultFieldLike = { name: '', type: { typeId: 0 } };

/** Entries of an iterable value (apache-arrow's StructRow, MapRow, Vector), or undefined. */
function entries(value: unknown): unknown[] | undefined {
  // Read the iterator, not `in`: a StructRow is a Proxy whose `has` knows only its field names.
  const iterate = (value as { [Symbol.iterator]?: unknown } | null)?.[Symbol.iterator];
  return typeof value === 'object' && typeof iterate === 'function'
    ? [...(value as Iterable<unknown>)]
    : undefined;
}

/**
 * A struct, list or map cell as JSON whose leaves are written by their own types: decimals as
 * exact numbers, dates, intervals and blobs as their text (a nested interval is only
 * `(interval)`: apache-arrow 17 slices its buffer wrongly). Other leaves as JSON writes them.
 */
function nestedJson(value: unknown, field: ResultFieldLike): string {
  if (value === null || value === undefined) return 'null';
  const { typeId, children = [] } = field.type;
  const items = entries(value);
  if (typeId === NESTED_TYPE_ID.struct && items) {
    const parts = (items as [string, unknown][]).map(([name, v]) => {
      const child = children.find((c) => c.name === name) ?? UNTYPED;
      return `${JSON.stringify(name)}:${nestedJson(v, child)}`;
    });
    return `{${parts.join(',')}}`;
  }
  if (typeId === NESTED_TYPE_ID.map && items) {
    const [key = UNTYPED, val = UNTYPED] = children[0]?.type.children ?? [];
    const parts = (items as [unknown, unknown][]).map(([k, v]) => {
      const keyText = formatCell(k, arrowCellKind(key.type, key.metadata), key.type.scale);
      return `${JSON.stringify(keyText ?? 'NULL')}:${nestedJson(v, val)}`;
    });
    return `{${parts.join(',')}}`;
  }
  if ((typeId === NESTED_TYPE_ID.list || typeId === NESTED_TYPE_ID.fixedSizeList) && items) {
    return `[${items.map((v) => nestedJson(v, children[0] ?? UNTYPED)).join(',')}]`;
  }
  const kind = arrowCellKind(field.type, field.metadata);
  if (kind === 'other') {
    return JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
  }
  const text = formatCell(value, kind, field.type.scale);
  return text === null || NUMBER_KINDS.has(kind) ? (text ?? 'null') : JSON.stringify(text);
}

/** Whether an Arrow type is a struct, list or map. */
function isNested(type: ResultTypeLike): boolean {
  return (Object.values(NESTED_TYPE_ID) as number[]).includes(type.typeId);
}

/** A result read as a stream (capped-result.ts): its schema and the record batches kept. */
export interface StreamedResultLike {
  readonly schema: ResultTableLike['schema'];
  readonly batches: readonly ResultTableLike[];
}

/**
 * Converts the first `maxRows` rows of an Arrow result (a table, or a streamed result's kept
 * batches) to display strings. `count` is the whole result's row count when only its first rows
 * were kept (a capped, streamed read).
 */
export function toQueryResult(
  result: ResultTableLike | StreamedResultLike,
  options: {
    maxRows: number;
    elapsedMs: number;
    count?: { totalRows: number; countStopped: boolean };
  },
): QueryResult {
  const fields = result.schema.fields;
  const parts: readonly ResultTableLike[] = 'batches' in result ? result.batches : [result];
  const kinds = fields.map((f) => arrowCellKind(f.type, f.metadata));
  const rows: (string | null)[][] = [];
  for (const part of parts) {
    const vectors = fields.map((_, i) => part.getChildAt(i));
    const cell = (c: number, r: number): string | null => {
      const column = vectors[c];
      const field = fields[c];
      const kind = kinds[c] ?? 'other';
      if (!column || !field) return null;
      if (isNested(field.type)) {
        const value = column.get(r);
        return value === null || value === undefined ? null : nestedJson(value, field);
      }
      const value = kind === 'interval' ? intervalAt(column, r, field.type.unit) : column.get(r);
      return formatCell(value, kind, field.type.scale ?? 0);
    };
    for (let r = 0; r < part.numRows && rows.length < options.maxRows; r++) {
      rows.push(fields.map((_, c) => cell(c, r)));
    }
  }
  return {
    columns: fields.map((f) => f.name),
    rows,
    totalRows: options.count?.totalRows ?? parts.reduce((n, part) => n + part.numRows, 0),
    countStopped: options.count?.countStopped ?? false,
    elapsedMs: options.elapsedMs,
  };
}

/** "N rows", "first K of N rows" or "first K of more than N rows", with thousands separators. */
export function rowCountText(
  result: Pick<QueryResult, 'rows' | 'totalRows' | 'countStopped'>,
): string {
  const count = (n: number): string => n.toLocaleString('en-US');
  const total = `${result.countStopped ? 'more than ' : ''}${count(result.totalRows)}`;
  const noun = result.totalRows === 1 && !result.countStopped ? 'row' : 'rows';
  return result.rows.length < result.totalRows || result.countStopped
    ? `first ${count(result.rows.length)} of ${total} ${noun}`
    : `${total} ${noun}`;
}
