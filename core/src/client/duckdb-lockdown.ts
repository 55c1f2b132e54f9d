/**
 * What every in-notebook duckdb-wasm engine shares: the lockdown run before any user SQL, the
 * shape of a displayed result, and how one cell value becomes display text. The npm build of
 * duckdb-wasm would fetch Parquet/JSON extensions from the network and its Node build reads the
 * real file system, so every host must run DUCKDB_WASM_LOCKDOWN first.
 */

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
  totalRows: number;
  elapsedMs: number;
}

/** How a cell's column is typed, as far as display text cares (times by their unit). */
export type CellKind =
  'date' | 'timestamp' | 'time_s' | 'time_ms' | 'time_us' | 'time_ns' | 'other';

/** Arrow's type ids (the `Type` enum of the Arrow format's Schema.fbs). */
const ARROW_TYPE_ID = { date: 8, time: 9, timestamp: 10 } as const;

/** Time of day kinds by Arrow's TimeUnit (SECOND, MILLISECOND, MICROSECOND, NANOSECOND). */
const TIME_KINDS: readonly CellKind[] = ['time_s', 'time_ms', 'time_us', 'time_ns'];

/** The cell kind of an Arrow column type (apache-arrow's DataType, read by `typeId` and `unit`). */
export function arrowCellKind(type: { readonly typeId: number; readonly unit?: number }): CellKind {
  if (type.typeId === ARROW_TYPE_ID.date) return 'date';
  if (type.typeId === ARROW_TYPE_ID.timestamp) return 'timestamp';
  if (type.typeId === ARROW_TYPE_ID.time) return TIME_KINDS[type.unit ?? 0] ?? 'other';
  return 'other';
}

/** Digits after the second (microseconds at most, trailing zeros dropped), with their dot. */
function fraction(micros: number): string {
  return micros === 0 ? '' : `.${String(micros).padStart(6, '0').replace(/0+$/, '')}`;
}

/** A timestamp given in (fractional) milliseconds since the epoch, as `YYYY-MM-DD hh:mm:ss.ffffff` (UTC). */
function timestampText(ms: number): string {
  const second = Math.floor(ms / 1000) * 1000;
  const iso = new Date(second).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}${fraction(Math.round((ms - second) * 1000))}`;
}

/** A time of day given in `kind`'s unit since midnight, as `hh:mm:ss.ffffff`. */
function timeText(value: number | bigint, kind: CellKind): string {
  const perSecond = { time_s: 1n, time_ms: 1_000n, time_us: 1_000_000n, time_ns: 1_000_000_000n }[
    kind as 'time_s'
  ];
  const ticks = typeof value === 'bigint' ? value : BigInt(Math.round(value));
  const seconds = ticks / perSecond;
  const micros = Number(((ticks % perSecond) * 1_000_000n) / perSecond);
  const two = (n: bigint): string => String(n).padStart(2, '0');
  return `${two(seconds / 3600n)}:${two((seconds / 60n) % 60n)}:${two(seconds % 60n)}${fraction(micros)}`;
}

/** Renders one result value as text (dates as ISO, big integers exactly); null stays null. */
export function formatCell(value: unknown, kind: CellKind): string | null {
  if (value === null || value === undefined) return null;
  if (kind === 'date' && typeof value === 'number') {
    return new Date(value).toISOString().slice(0, 10);
  }
  if (kind === 'timestamp' && typeof value === 'number') return timestampText(value);
  if (kind.startsWith('time_') && (typeof value === 'number' || typeof value === 'bigint')) {
    return timeText(value, kind);
  }
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'object') {
    return JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
  }
  return String(value);
}

/** The parts of an Arrow table a result needs (apache-arrow's Table fits; core does not import it). */
export interface ResultTableLike {
  readonly numRows: number;
  readonly schema: {
    readonly fields: readonly {
      readonly name: string;
      readonly type: { readonly typeId: number; readonly unit?: number };
    }[];
  };
  /** The column at an index, or null. */
  getChildAt(index: number): { get(row: number): unknown } | null;
}

/** Converts the first `maxRows` rows of an Arrow result table to display strings. */
export function toQueryResult(
  table: ResultTableLike,
  options: { maxRows: number; elapsedMs: number },
): QueryResult {
  const fields = table.schema.fields;
  const shown = Math.min(table.numRows, options.maxRows);
  const kinds = fields.map((f) => arrowCellKind(f.type));
  const vectors = fields.map((_, i) => table.getChildAt(i));
  const rows: (string | null)[][] = [];
  for (let r = 0; r < shown; r++) {
    rows.push(fields.map((_, c) => formatCell(vectors[c]?.get(r), kinds[c] ?? 'other')));
  }
  return {
    columns: fields.map((f) => f.name),
    rows,
    totalRows: table.numRows,
    elapsedMs: options.elapsedMs,
  };
}
