/**
 * Skipping work that provably changes nothing. Per engine (the raw data never change after
 * loading) we cache each source's largest row count per privacy unit and each bounded column's
 * min/max and whether any row lacks a privacy unit. If no unit has more than R rows (or G),
 * bounding is the identity and its windows are skipped; if a column lies within its bounds,
 * clamping is the identity and is skipped; if no row lacks a unit, so is the NULL-unit filter. The
 * release is identical either way; only running time can tell (once per engine and source or
 * column) whether some unit exceeds its limit, some value its bounds, or some row lacks a privacy
 * unit (then the NULL-unit filter stays) — a global, one-bit
 * timing signal that we accept for the ~10–30× speed-up (documented in the report). The tables of
 * a join are each bounded to their own limit before the join unless the same cached largest row
 * count shows no unit exceeds it (the same one bit per source and limit). A column
 * without NULLs is counted with count(*); a single table's row count (public to the gateway's
 * planner, as the source size) decides whether its sums can be added as exact DOUBLEs.
 */
import { Rational } from '@privet/core/dp/rational';
import type { DpPricedPlan } from '@privet/core/dpsql/price';
import { quoteIdent } from '@privet/core/mask/sql';
import type { SourceEngine } from '../store/index.js';
import { maxRowsPerUnitSql, type BoundingShortcut } from './render.js';

interface EngineStats {
  maxRows: Map<string, bigint>;
  /** source → whether its privacy-unit column holds a NULL. */
  nullUnits: Map<string, boolean>;
  /** `source.column` → [min, max] (null when empty), whether NaN occurs, whether NULL does. */
  ranges: Map<string, ColumnRange>;
}

/** One column's cached extent. */
interface ColumnRange {
  min: Rational | null;
  max: Rational | null;
  nan: boolean;
  nulls: boolean;
}

const cache = new WeakMap<SourceEngine, EngineStats>();

function stats(engine: SourceEngine): EngineStats {
  let s = cache.get(engine);
  if (!s) cache.set(engine, (s = { maxRows: new Map(), nullUnits: new Map(), ranges: new Map() }));
  return s;
}

async function maxRows(engine: SourceEngine, source: string, unit: string): Promise<bigint> {
  const s = stats(engine);
  let max = s.maxRows.get(source);
  if (max === undefined) {
    const reader = await engine.connection.runAndReadAll(maxRowsPerUnitSql(source, unit));
    max = BigInt(String(reader.getRowObjectsJson()[0]?.['n'] ?? '0'));
    s.maxRows.set(source, max);
  }
  return max;
}

async function hasNullUnits(engine: SourceEngine, source: string, unit: string): Promise<boolean> {
  const s = stats(engine);
  let has = s.nullUnits.get(source);
  if (has === undefined) {
    const reader = await engine.connection.runAndReadAll(
      `SELECT count(*) AS n FROM ${quoteIdent(source)} WHERE ${quoteIdent(unit)} IS NULL`,
    );
    has = String(reader.getRowObjectsJson()[0]?.['n'] ?? '1') !== '0';
    s.nullUnits.set(source, has);
  }
  return has;
}

function rational(value: unknown): Rational | null {
  if (value === null || value === undefined) return null;
  try {
    return Rational.from(String(value));
  } catch {
    return null; // ±inf or unparseable: treat as out of range
  }
}

async function columnRange(
  engine: SourceEngine,
  source: string,
  column: string,
  type: string,
): Promise<ColumnRange> {
  const s = stats(engine);
  const key = `${source}.${column}`;
  let range = s.ranges.get(key);
  if (!range) {
    const c = quoteIdent(column);
    const nan = type === 'number' ? `count(*) FILTER (WHERE isnan(${c}))` : '0';
    const reader = await engine.connection.runAndReadAll(
      `SELECT CAST(min(${c}) AS VARCHAR) AS lo, CAST(max(${c}) AS VARCHAR) AS hi, ${nan} AS nan, count(*) - count(${c}) AS nulls FROM ${quoteIdent(source)}`,
    );
    const row = reader.getRowObjectsJson()[0] ?? {};
    range = {
      min: rational(row['lo']),
      max: rational(row['hi']),
      nan: String(row['nan'] ?? '0') !== '0',
      nulls: String(row['nulls'] ?? '1') !== '0',
    };
    if ((row['lo'] !== null && !range.min) || (row['hi'] !== null && !range.max)) range.nan = true;
    s.ranges.set(key, range);
  }
  return range;
}

function withinBounds(range: ColumnRange, bounds: [Rational, Rational]): boolean {
  if (range.nan) return false;
  return (
    (range.min === null || range.min.gte(bounds[0])) &&
    (range.max === null || range.max.lte(bounds[1]))
  );
}

/** Which bounding and clamping steps are provably the identity for this plan on this engine. */
export async function shortcutFor(
  plan: DpPricedPlan,
  engine: SourceEngine,
): Promise<BoundingShortcut> {
  const logical = plan.logical;
  const columns = new Set<string>();
  const nullFree = new Set<string>();
  for (const agg of logical.aggregates) {
    const table = agg.column ? logical.tables[agg.column.table] : undefined;
    if (!agg.column || !agg.bounds || !table) continue;
    const range = await columnRange(engine, table.source, agg.column.column, agg.column.type);
    const key = `${table.source}.${agg.column.column}`;
    if (withinBounds(range, agg.bounds)) columns.add(key);
    if (!range.nulls) nullFree.add(key);
  }
  const table = logical.tables[0];
  if (logical.tables.length !== 1 || !table) {
    const tablesWithinLimits: boolean[] = [];
    for (const t of logical.tables)
      tablesWithinLimits.push(
        (await maxRows(engine, t.source, t.unit)) <= BigInt(t.maxRowsPerUnit),
      );
    return { skipRows: false, skipGroups: false, inRange: columns, nullFree, tablesWithinLimits };
  }
  const max = await maxRows(engine, table.source, table.unit);
  const skipRows = max <= BigInt(logical.maxRowsPerUnit);
  const domain = logical.keys.every((k) => k.publicKeys)
    ? logical.keys.reduce((n, k) => n * (k.publicKeys?.length ?? 1), 1)
    : Infinity;
  const skipGroups =
    logical.keys.length === 0 ||
    domain <= logical.maxGroupsPerUnit ||
    (skipRows && max <= BigInt(logical.maxGroupsPerUnit));
  const noNullUnits = !(await hasNullUnits(engine, table.source, table.unit));
  const rows = engine.sources[table.source]?.rows;
  return {
    skipRows,
    skipGroups,
    inRange: columns,
    noNullUnits,
    nullFree,
    ...(rows !== undefined ? { rowsAtMost: BigInt(rows) } : {}),
  };
}
