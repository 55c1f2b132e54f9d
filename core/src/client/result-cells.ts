/**
 * Result cells as display text: an Arrow result's column kinds, and each cell read from its raw
 * buffers (scalars, and lists, structs, maps and unions with their nulls) as DuckDB's own
 * `CAST(x AS VARCHAR)` writes it (cell-format.ts), nested values as JSON with typed leaves.
 */
import { formatCell, type CellKind, type IntervalParts, type TimeUnitName } from './cell-format.js';

/** Arrow's type ids (the `Type` enum of the Arrow format's Schema.fbs; apache-arrow's Dictionary). */
const ARROW_TYPE_ID = {
  dictionary: -1,
  null: 1,
  int: 2,
  float: 3,
  binary: 4,
  utf8: 5,
  bool: 6,
  decimal: 7,
  date: 8,
  time: 9,
  timestamp: 10,
  interval: 11,
  union: 14,
  fixedSizeBinary: 15,
  largeBinary: 19,
  largeUtf8: 20,
} as const;

/** Arrow's nested type ids: List, Struct, FixedSizeList, Map. */
const NESTED_TYPE_ID = { list: 12, struct: 13, fixedSizeList: 16, map: 17 } as const;

/** Arrow's IntervalUnit (Schema.fbs): YEAR_MONTH, DAY_TIME, MONTH_DAY_NANO (DuckDB's). */
const INTERVAL_UNIT = { yearMonth: 0, dayTime: 1, monthDayNano: 2 } as const;

/** Arrow's float Precision (Schema.fbs): HALF, SINGLE, DOUBLE. */
const FLOAT_PRECISION = { single: 1, double: 2 } as const;

/** Arrow's DateUnit (Schema.fbs): DAY, MILLISECOND. */
const DATE_UNIT_DAY = 0;

/** Arrow's UnionMode (Schema.fbs): Sparse, Dense. */
const UNION_MODE_DENSE = 1;

/** Time units by Arrow's TimeUnit number (SECOND, MILLISECOND, MICROSECOND, NANOSECOND). */
const TIME_UNITS: readonly TimeUnitName[] = ['s', 'ms', 'us', 'ns'];

/** Cell kinds of the types DuckDB exports as `arrow.opaque` (with `arrowLosslessConversion`). */
const OPAQUE_KINDS: ReadonlyMap<string, CellKind> = new Map<string, CellKind>([
  ['uhugeint', 'uhugeint'],
  ['hugeint', 'hugeint'],
  ['bignum', 'bignum'],
  ['bit', 'bit'],
  ['time_tz', 'timetz'],
]);

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

/** The cell kind of a binary column: a blob, or what its extension metadata says it holds. */
function binaryCellKind(metadata: ReadonlyMap<string, string> | undefined): CellKind {
  if (metadata?.get('ARROW:extension:name') === 'arrow.uuid') return 'uuid';
  return OPAQUE_KINDS.get(duckdbOpaqueType(metadata) ?? '') ?? 'blob';
}

/** The cell kind of an integer column: a boolean when Arrow's `arrow.bool8` extension says so. */
function integerCellKind(metadata: ReadonlyMap<string, string> | undefined): CellKind {
  return metadata?.get('ARROW:extension:name') === 'arrow.bool8' ? 'boolean' : 'other';
}

/** The cell kind of a timestamp column, by its unit and whether it has a time zone. */
function timestampCellKind(type: ResultTypeLike): CellKind {
  const unit = TIME_UNITS[type.unit ?? 0];
  if (!unit) return 'other';
  return type.timezone ? `timestamptz_${unit}` : `timestamp_${unit}`;
}

/** The cell kind of an Arrow column (apache-arrow's DataType by `typeId` and `unit`; Field metadata). */
export function arrowCellKind(
  type: ResultTypeLike,
  metadata?: ReadonlyMap<string, string>,
): CellKind {
  switch (type.typeId) {
    case ARROW_TYPE_ID.int:
      return integerCellKind(metadata);
    case ARROW_TYPE_ID.date:
      return 'date';
    case ARROW_TYPE_ID.timestamp:
      return timestampCellKind(type);
    case ARROW_TYPE_ID.time: {
      const unit = TIME_UNITS[type.unit ?? 0];
      return unit ? `time_${unit}` : 'other';
    }
    case ARROW_TYPE_ID.float:
      if (type.precision === FLOAT_PRECISION.single) return 'float';
      return type.precision === FLOAT_PRECISION.double ? 'double' : 'other';
    case ARROW_TYPE_ID.decimal:
      return 'decimal';
    case ARROW_TYPE_ID.interval:
      return 'interval';
    case ARROW_TYPE_ID.binary:
    case ARROW_TYPE_ID.largeBinary:
    case ARROW_TYPE_ID.fixedSizeBinary:
      return binaryCellKind(metadata);
    default:
      return 'other';
  }
}

/**
 * One record batch of a column, or a nested value's child data (apache-arrow's Data): its buffers
 * as apache-arrow keeps them — `values` and `valueOffsets` start at the first row, `offset` is
 * where that row's bit is in `nullBitmap`.
 */
export interface ResultChunkLike {
  readonly offset: number;
  readonly length: number;
  readonly values?: unknown;
  readonly valueOffsets?: unknown;
  readonly nullBitmap?: unknown;
  readonly typeIds?: unknown;
  readonly children?: readonly ResultChunkLike[];
  /** A dictionary-encoded column's values (an ENUM's names), by their index in `values`. */
  readonly dictionary?: { get(index: number): unknown } | null;
}

/** A result column (apache-arrow's Vector): decoded values, and its chunks for raw reads. */
export interface ResultColumnLike {
  /** The decoded value at a row (null for SQL NULL). */
  get(row: number): unknown;
  /** Whether a row is not SQL NULL (without decoding it). */
  isValid?(row: number): boolean;
  readonly data?: readonly ResultChunkLike[];
}

/** An Arrow column type as far as cell text needs it (apache-arrow's DataType fits). */
export interface ResultTypeLike {
  readonly typeId: number;
  /** A time, timestamp, date or interval's unit. */
  readonly unit?: number;
  readonly scale?: number;
  /** A decimal's digits in all; a float's Precision (HALF, SINGLE, DOUBLE). */
  readonly precision?: number;
  /** A timestamp's time zone (DuckDB's TIMESTAMPTZ), null without one. */
  readonly timezone?: string | null;
  /** A decimal's bits (128 from DuckDB). */
  readonly bitWidth?: number;
  /** A fixed-size binary's bytes per value. */
  readonly byteWidth?: number;
  /** A fixed-size list's items per value (DuckDB's ARRAY). */
  readonly listSize?: number;
  /** A union's UnionMode (Sparse, Dense), and its member by type id. */
  readonly mode?: number;
  readonly typeIdToChildIndex?: Readonly<Record<number, number>>;
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

/** Where a value sits in the raw buffers: a chunk (or a nested value's child data) and its row. */
interface Place {
  readonly data: ResultChunkLike;
  readonly index: number;
}

/** Decodes string values (Arrow's are UTF-8). */
const UTF8 = new TextDecoder();

/** A value the raw buffers cannot give (a layout not known here): apache-arrow's decoding is used. */
const UNREADABLE: unique symbol = Symbol('unreadable');

/** What a raw read gives: the value (null for SQL NULL), or UNREADABLE. */
type RawValue = unknown;

/** The element at an index of a typed array, or undefined for anything else. */
function element(values: unknown, index: number): unknown {
  if (!ArrayBuffer.isView(values) || values instanceof DataView) return undefined;
  return (values as unknown as ArrayLike<unknown>)[index];
}

/** An integer element of a typed array (an offset or index), or undefined. */
function integerAt(values: unknown, index: number): number | undefined {
  const v = element(values, index);
  const n = typeof v === 'bigint' ? Number(v) : v;
  return typeof n === 'number' && Number.isSafeInteger(n) ? n : undefined;
}

/** The place of a row of a column: its chunk and the row within it. */
function placeAt(column: ResultColumnLike, row: number): Place | undefined {
  let start = 0;
  for (const data of column.data ?? []) {
    if (row < start + data.length) return { data, index: row - start };
    start += data.length;
  }
  return undefined;
}

/** Whether the value at a place is SQL NULL (its validity bit is clear; no bitmap: none are). */
function isNullAt({ data, index }: Place, typeId: number): boolean {
  if (typeId === ARROW_TYPE_ID.null) return true;
  const bitmap = data.nullBitmap;
  if (!(bitmap instanceof Uint8Array) || bitmap.length === 0) return false;
  const bit = data.offset + index;
  return ((bitmap[bit >> 3] ?? 0) & (1 << (bit & 7))) === 0;
}

/** The bytes of a binary or string value (by its offsets, or its fixed width), or undefined. */
function bytesAt({ data, index }: Place, type: ResultTypeLike): Uint8Array | undefined {
  const values = data.values;
  if (!(values instanceof Uint8Array)) return undefined;
  if (type.typeId === ARROW_TYPE_ID.fixedSizeBinary) {
    const width = type.byteWidth ?? 0;
    return width > 0 ? values.subarray(width * index, width * (index + 1)) : undefined;
  }
  const start = integerAt(data.valueOffsets, index);
  const end = integerAt(data.valueOffsets, index + 1);
  return start === undefined || end === undefined ? undefined : values.subarray(start, end);
}

/**
 * A MONTH_DAY_NANO interval read from its raw buffer (int32 months, int32 days, int64 nanoseconds
 * per row, little-endian). apache-arrow 17 decodes this unit as if it were YEAR_MONTH (one int32
 * per row), and slices its buffer with the wrong stride (3 words, not 4), so only unsliced data
 * (offset 0) is read — as every chunk and child of DuckDB's results arrives, the children of
 * lists and maps included, since their rows are found by offsets, not by slicing.
 */
function monthDayNanoAt({ data, index }: Place): IntervalParts | undefined {
  const v = data.values;
  const at = 4 * index;
  if (data.offset !== 0 || !(v instanceof Int32Array) || v.length < at + 4) return undefined;
  const nanos = (BigInt(v[at + 3]!) << 32n) | BigInt(v[at + 2]! >>> 0);
  return { months: v[at]!, days: v[at + 1]!, nanos };
}

/** An interval value as its parts, from raw words (MONTH_DAY_NANO) or Arrow's other units. */
function intervalAt(place: Place, unit: number | undefined): RawValue {
  if (unit === INTERVAL_UNIT.monthDayNano) return monthDayNanoAt(place) ?? UNREADABLE;
  const { data, index } = place;
  const [first, second] = [element(data.values, 2 * index), element(data.values, 2 * index + 1)];
  if (unit === INTERVAL_UNIT.dayTime && typeof first === 'number' && typeof second === 'number') {
    return { months: 0, days: first, nanos: BigInt(second) * 1_000_000n };
  }
  const months = element(data.values, index);
  const yearMonth = unit === INTERVAL_UNIT.yearMonth && typeof months === 'number';
  return yearMonth ? { months, days: 0, nanos: 0n } : UNREADABLE;
}

/** A value kept as one element: integers, floats, times, timestamps (as their raw ticks). */
function numberAt({ data, index }: Place): RawValue {
  const v = element(data.values, index);
  return typeof v === 'number' || typeof v === 'bigint' ? v : UNREADABLE;
}

/** A float: its number, or for a NaN its bytes (a number loses the sign DuckDB writes: `-nan`). */
function floatAt(place: Place): RawValue {
  const v = numberAt(place);
  const values = place.data.values;
  if (!(typeof v === 'number' && Number.isNaN(v) && ArrayBuffer.isView(values))) return v;
  const size = values instanceof Float32Array ? 4 : 8;
  return new Uint8Array(values.buffer, values.byteOffset + size * place.index, size);
}

/** A value of a type whose bytes or words need more than one element (strings, decimals, …). */
function wideLeafAt(place: Place, type: ResultTypeLike): RawValue {
  const { data, index } = place;
  switch (type.typeId) {
    case ARROW_TYPE_ID.utf8:
    case ARROW_TYPE_ID.largeUtf8: {
      const bytes = bytesAt(place, type);
      return bytes ? UTF8.decode(bytes) : UNREADABLE;
    }
    case ARROW_TYPE_ID.decimal: {
      const words = (type.bitWidth ?? 128) / 32;
      const v = data.values;
      return v instanceof Uint32Array ? v.subarray(words * index, words * (index + 1)) : UNREADABLE;
    }
    case ARROW_TYPE_ID.interval:
      return intervalAt(place, type.unit);
    case ARROW_TYPE_ID.dictionary: {
      const key = integerAt(data.values, index);
      return key === undefined || !data.dictionary ? UNREADABLE : data.dictionary.get(key);
    }
    case ARROW_TYPE_ID.binary:
    case ARROW_TYPE_ID.largeBinary:
    case ARROW_TYPE_ID.fixedSizeBinary:
      return bytesAt(place, type) ?? UNREADABLE;
    default:
      return UNREADABLE;
  }
}

/**
 * A leaf value read from the raw buffers, as apache-arrow would decode it but exact: timestamps as
 * their raw ticks (a bigint), intervals as parts, dates as milliseconds; UNREADABLE otherwise.
 */
function leafAt(place: Place, type: ResultTypeLike): RawValue {
  const { data, index } = place;
  switch (type.typeId) {
    case ARROW_TYPE_ID.bool: {
      const bit = data.offset + index;
      const v = element(data.values, bit >> 3);
      return typeof v === 'number' ? (v & (1 << (bit & 7))) !== 0 : UNREADABLE;
    }
    case ARROW_TYPE_ID.date: {
      const v = element(data.values, index);
      if (type.unit === DATE_UNIT_DAY) return typeof v === 'number' ? 86_400_000 * v : UNREADABLE;
      return typeof v === 'bigint' ? Number(v) : UNREADABLE;
    }
    case ARROW_TYPE_ID.float: {
      const known =
        type.precision === FLOAT_PRECISION.single || type.precision === FLOAT_PRECISION.double;
      return known ? floatAt(place) : UNREADABLE;
    }
    case ARROW_TYPE_ID.int:
    case ARROW_TYPE_ID.time:
    case ARROW_TYPE_ID.timestamp:
      return numberAt(place);
    case ARROW_TYPE_ID.union:
    case NESTED_TYPE_ID.list:
    case NESTED_TYPE_ID.struct:
    case NESTED_TYPE_ID.fixedSizeList:
    case NESTED_TYPE_ID.map:
      return UNREADABLE;
    default:
      return wideLeafAt(place, type);
  }
}

/** Leaf kinds written inside nested values as bare JSON numbers (their exact digits). */
const NUMBER_KINDS: ReadonlySet<CellKind> = new Set(['decimal', 'hugeint', 'uhugeint', 'bignum']);

/**
 * A leaf inside a nested value as JSON: numbers bare with DuckDB's digits (integers, decimals,
 * finite floats), booleans bare, everything else (dates, intervals, blobs, `inf`) as its text.
 */
function leafJson(value: unknown, field: ResultFieldLike): string {
  const kind = arrowCellKind(field.type, field.metadata);
  const text = formatCell(value, kind, field.type.scale);
  if (text === null) return 'null';
  const finite = typeof value === 'number' && Number.isFinite(value);
  const plain = kind === 'other' || kind === 'float' || kind === 'double';
  const bare =
    NUMBER_KINDS.has(kind) ||
    kind === 'boolean' ||
    (plain && (finite || typeof value === 'bigint' || typeof value === 'boolean'));
  if (bare) return text;
  return kind === 'other' && typeof value === 'object' ? text : JSON.stringify(text);
}

/** The JSON of every item, or undefined when any cannot be read. */
function allJson(items: (string | undefined)[]): string[] | undefined {
  return items.every((i): i is string => i !== undefined) ? items : undefined;
}

/** The rows of a list's (or map's) child data that hold one value's items. */
function itemRange({ data, index }: Place, type: ResultTypeLike): [number, number] | undefined {
  if (type.typeId === NESTED_TYPE_ID.fixedSizeList) {
    const size = type.listSize;
    return size === undefined ? undefined : [index * size, (index + 1) * size];
  }
  const start = integerAt(data.valueOffsets, index);
  const end = integerAt(data.valueOffsets, index + 1);
  return start === undefined || end === undefined || end < start ? undefined : [start, end];
}

/** Places `start` to `end` (exclusive) of a child's data. */
function placesOf(data: ResultChunkLike, [start, end]: [number, number]): Place[] {
  return Array.from({ length: end - start }, (_, i) => ({ data, index: start + i }));
}

/** A struct value as a JSON object of its fields, read from its children's data. */
function structJsonAt(place: Place, type: ResultTypeLike): string | undefined {
  const fields = type.children ?? [];
  const parts = allJson(
    fields.map((field, i) => {
      const data = place.data.children?.[i];
      const json = data ? nestedJsonAt({ data, index: place.index }, field) : undefined;
      return json === undefined ? undefined : `${JSON.stringify(field.name)}:${json}`;
    }),
  );
  return parts ? `{${parts.join(',')}}` : undefined;
}

/** A list value as a JSON array, read from its child data by its offsets (or fixed size). */
function listJsonAt(place: Place, type: ResultTypeLike): string | undefined {
  const range = itemRange(place, type);
  const data = place.data.children?.[0];
  const field = type.children?.[0];
  if (!range || !data || !field) return undefined;
  const items = allJson(placesOf(data, range).map((p) => nestedJsonAt(p, field)));
  return items ? `[${items.join(',')}]` : undefined;
}

/** A map key as the text it is keyed by in JSON (its cell text; a nested key's JSON). */
function keyTextAt(place: Place, field: ResultFieldLike): string | undefined {
  if (isNested(field.type)) return nestedJsonAt(place, field);
  const key = leafAt(place, field.type);
  if (key === UNREADABLE) return undefined;
  const { scale = 0, precision } = field.type;
  return formatCell(key, arrowCellKind(field.type, field.metadata), scale, precision) ?? 'NULL';
}

/** A map value as a JSON object keyed by its keys' text, read from its entries' data. */
function mapJsonAt(place: Place, type: ResultTypeLike): string | undefined {
  const range = itemRange(place, type);
  const entries = place.data.children?.[0];
  const [keyField, valueField] = type.children?.[0]?.type.children ?? [];
  const [keys, values] = entries?.children ?? [];
  if (!range || !keys || !values || !keyField || !valueField) return undefined;
  const parts = allJson(
    placesOf(keys, range).map((p) => {
      const key = keyTextAt(p, keyField);
      const value = nestedJsonAt({ data: values, index: p.index }, valueField);
      return key === undefined || value === undefined
        ? undefined
        : `${JSON.stringify(key)}:${value}`;
    }),
  );
  return parts ? `{${parts.join(',')}}` : undefined;
}

/** The member a union value holds: its place in the member's data, and the member's field. */
function unionMemberAt(
  { data, index }: Place,
  type: ResultTypeLike,
): [Place, ResultFieldLike] | undefined {
  const typeId = integerAt(data.typeIds, index);
  const child = typeId === undefined ? undefined : type.typeIdToChildIndex?.[typeId];
  const at = type.mode === UNION_MODE_DENSE ? integerAt(data.valueOffsets, index) : index;
  const memberData = child === undefined ? undefined : data.children?.[child];
  const field = child === undefined ? undefined : type.children?.[child];
  return memberData && field && at !== undefined
    ? [{ data: memberData, index: at }, field]
    : undefined;
}

/**
 * A value inside a struct, list or map as JSON, read from the raw buffers (apache-arrow 17 slices
 * a nested interval wrongly and rounds nanosecond timestamps): leaves as leafJson writes them.
 * Undefined when some part's layout is not known here.
 */
function nestedJsonAt(place: Place, field: ResultFieldLike): string | undefined {
  const { type } = field;
  if (isNullAt(place, type.typeId)) return 'null';
  switch (type.typeId) {
    case NESTED_TYPE_ID.struct:
      return structJsonAt(place, type);
    case NESTED_TYPE_ID.list:
    case NESTED_TYPE_ID.fixedSizeList:
      return listJsonAt(place, type);
    case NESTED_TYPE_ID.map:
      return mapJsonAt(place, type);
    case ARROW_TYPE_ID.union: {
      const member = unionMemberAt(place, type);
      return member ? nestedJsonAt(...member) : undefined;
    }
    default: {
      const value = leafAt(place, type);
      return value === UNREADABLE ? undefined : leafJson(value, field);
    }
  }
}

/** A top-level cell's text read from the raw buffers, or undefined when it cannot be. */
function cellTextAt(place: Place, field: ResultFieldLike): string | null | undefined {
  if (isNested(field.type)) return nestedJsonAt(place, field);
  if (isNullAt(place, field.type.typeId)) return null;
  if (field.type.typeId === ARROW_TYPE_ID.union) {
    const member = unionMemberAt(place, field.type);
    return member ? cellTextAt(...member) : undefined;
  }
  const value = leafAt(place, field.type);
  if (value === UNREADABLE) return undefined;
  const { scale = 0, precision } = field.type;
  return formatCell(value, arrowCellKind(field.type, field.metadata), scale, precision);
}

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
 * A struct, list or map cell as apache-arrow decoded it, as JSON — only for data whose raw buffers
 * are not there to read (nestedJsonAt): timestamps to the microsecond, a nested MONTH_DAY_NANO
 * interval only `(interval)` (apache-arrow 17 decodes it as a single int32).
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
  return leafJson(value, field);
}

/** Whether an Arrow type is a struct, list or map. */
function isNested(type: ResultTypeLike): boolean {
  return (Object.values(NESTED_TYPE_ID) as number[]).includes(type.typeId);
}

/** Whether a column's row is SQL NULL (by its validity, else by its decoded value). */
function isNullCell(column: ResultColumnLike, row: number): boolean {
  if (column.isValid) return !column.isValid(row);
  const value = column.get(row);
  return value === null || value === undefined;
}

/**
 * One cell's text: read from the raw buffers (exact where apache-arrow rounds, misreads or throws:
 * nanosecond and far-off timestamps, intervals, nested values), else from apache-arrow's decoding.
 */
export function cellText(
  column: ResultColumnLike,
  row: number,
  field: ResultFieldLike,
): string | null {
  if (isNullCell(column, row)) return null;
  const place = placeAt(column, row);
  const raw = place ? cellTextAt(place, field) : undefined;
  if (raw !== undefined) return raw;
  const value = column.get(row);
  if (value === null || value === undefined) return null;
  if (isNested(field.type)) return nestedJson(value, field);
  const { scale = 0, precision } = field.type;
  return formatCell(value, arrowCellKind(field.type, field.metadata), scale, precision);
}
