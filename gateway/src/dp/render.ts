/**
 * Renders a priced plan to the SQL that computes exact, bounded, clamped integer aggregates per
 * group. The SQL is generated only from the validated plan: identifiers are quoted, literals are
 * re-rendered from their parsed values, so no analyst text is ever passed to DuckDB.
 *
 * Contribution bounding: rows are kept per privacy unit by `row_number()` over a salted hash of
 * the row (at most R rows per unit), then by `dense_rank()` over a salted hash of the group key
 * (at most G groups per unit). The choice depends only on the unit's own rows, so the transform
 * is stable; when it provably keeps every row (see `BoundingShortcut`) the windows are skipped.
 *
 * A join first bounds each of its tables to its own view's R per unit (`row_number()` over a
 * salted hash of the columns the query reads, after that table's own filters), so a unit's joined
 * rows are at most the product of those limits: joining the raw rows would let one unit with n
 * rows in each of k tables make n^k rows, and whether the query then fits in memory and time
 * would depend on that one unit. The bounding after the join (what pricing relies on) stays.
 */
import type { DpPricedPlan } from '@privet/core/dpsql/price';
import { quoteIdent, sqlString } from '@privet/core/mask/sql';
import type { PlanColumn, PlanPredicate } from '@privet/core/dpsql/plan';
import { clampValue, col, num, predicate } from './render-where.js';

/** Which bounding windows can be skipped because they would keep every row. */
export interface BoundingShortcut {
  skipRows: boolean;
  skipGroups: boolean;
  /** `source.column` whose every value is already within its bounds (clamping is the identity). */
  inRange?: ReadonlySet<string>;
  /** The (single) table's privacy-unit column holds no NULL, so dropping NULL units is the identity. */
  noNullUnits?: boolean;
  /** `source.column` holding no NULL, so counting its values is counting rows. */
  nullFree?: ReadonlySet<string>;
  /** The most rows the aggregation can read (a single table: its row count); lets sums use DOUBLE. */
  rowsAtMost?: bigint;
  /**
   * Per table of a join (by plan index): no unit has more rows in its source than that table's
   * own limit, so bounding the table before the join is the identity and is skipped. Missing or
   * false: the table is bounded.
   */
  tablesWithinLimits?: readonly boolean[];
}

function keyExpr(priced: DpPricedPlan, i: number): string {
  const key = priced.logical.keys[i];
  if (!key) throw new Error('missing key');
  if (key.bin) {
    const [lo, hi] = key.bin.bounds;
    const first = lo.div(key.bin.width).floor();
    const last = hi.div(key.bin.width).floor();
    // A NULL stays NULL (its own group, which no public key set holds), as for any other key.
    const idx = `CAST(floor(CAST(${clampValue(col(key.column), num(lo), num(hi))} AS DOUBLE) / ${num(key.bin.width)}) AS BIGINT)`;
    return clampValue(idx, `${first}`, `${last}`);
  }
  if (key.clampTo) return clampValue(col(key.column), num(key.clampTo[0]), num(key.clampTo[1]));
  if (key.column.type === 'date') return `CAST(${col(key.column)} AS VARCHAR)`;
  return col(key.column);
}

/** A value column shared by aggregates reading the same column with the same encoding. */
interface Slot {
  expr: string;
  /** Needs sum(v) / sum(v·v). */
  sum: boolean;
  sumSq: boolean;
  /** The encoded values are integral DOUBLEs whose sum is exact (see `doubleSumIsExact`). */
  double: boolean;
  /** The column holds no NULL (engine stats), so its values are counted with count(*). */
  nullFree: boolean;
}

/** 2^53: every integer of smaller magnitude is a DOUBLE, so sums that stay below it are exact. */
const DOUBLE_EXACT = 2n ** 53n;

/**
 * Whether a sum of at most `rows` integers within [lo, hi] is exact in DOUBLE arithmetic: every
 * partial sum is then an integer below 2^53, whatever order DuckDB adds them in.
 */
export function doubleSumIsExact(lo: bigint, hi: bigint, rows: bigint): boolean {
  const largest = lo < 0n ? (-lo > hi ? -lo : hi) : hi;
  return largest * rows < DOUBLE_EXACT;
}

/** An aggregate's column as the engine stats name it: `source.column`. */
function sourceColumn(priced: DpPricedPlan, column: { table: number; column: string }): string {
  return `${priced.logical.tables[column.table]?.source ?? ''}.${column.column}`;
}

/**
 * Groups the plan's aggregates into shared value slots; returns slot index per aggregate. With the
 * engine's `stats`: a slot only counted and summed, of a query reading at most `rowsAtMost` rows,
 * is encoded as integral DOUBLEs when their sum is provably exact (the BIGINT cast's overflow
 * checks cost ~10% of a scan), and a column without NULLs is counted as rows.
 */
export function valueSlots(
  priced: DpPricedPlan,
  stats: Pick<BoundingShortcut, 'inRange' | 'nullFree' | 'rowsAtMost'> = {},
): { slots: Slot[]; slotOf: (number | undefined)[] } {
  const { inRange = new Set<string>(), rowsAtMost } = stats;
  const found: { first: number; sum: boolean; sumSq: boolean; bins: boolean }[] = [];
  const index = new Map<string, number>();
  const slotOf = priced.logical.aggregates.map((agg, i) => {
    const enc = priced.encodings[i];
    if (!agg.column || !enc) return undefined;
    const raw = !agg.bounds;
    const id = `${agg.column.table}.${agg.column.column}|${raw ? 'raw' : `${enc.fixedPoint}|${enc.lo}|${enc.hi}`}`;
    let slot = index.get(id);
    if (slot === undefined) {
      slot = found.length;
      index.set(id, slot);
      found.push({ first: i, sum: false, sumSq: false, bins: false });
    }
    const s = found[slot]!;
    if (
      agg.kind !== 'count_column' &&
      agg.kind !== 'count_distinct_unit' &&
      agg.kind !== 'quantile'
    )
      s.sum = true;
    if (agg.kind.startsWith('var') || agg.kind.startsWith('stddev')) s.sumSq = true;
    if (agg.kind === 'quantile') s.bins = true;
    return slot;
  });
  const slots = found.map(({ first, sum, sumSq, bins }): Slot => {
    const agg = priced.logical.aggregates[first];
    const enc = priced.encodings[first];
    if (!agg?.column || !enc) throw new Error('slot without a column');
    const nullFree = !!stats.nullFree?.has(sourceColumn(priced, agg.column));
    if (!agg.bounds) return { expr: col(agg.column), sum, sumSq, double: false, nullFree };
    const double =
      sum &&
      !sumSq &&
      !bins &&
      enc.fixedPoint !== 1n &&
      rowsAtMost !== undefined &&
      doubleSumIsExact(enc.lo, enc.hi, rowsAtMost);
    return { expr: encodedValue(priced, first, inRange, double), sum, sumSq, double, nullFree };
  });
  return { slots, slotOf };
}

/**
 * A bounded column's value as an integer on its fixed-point grid: clamped to its bounds (unless
 * provably within them), scaled and rounded half away from zero — a BIGINT, or an integral DOUBLE
 * when `double` (the same value; for sums proven exact).
 */
function encodedValue(
  priced: DpPricedPlan,
  i: number,
  inRange: ReadonlySet<string>,
  double: boolean,
): string {
  const agg = priced.logical.aggregates[i];
  const enc = priced.encodings[i];
  if (!agg?.column || !agg.bounds || !enc) throw new Error('aggregate without bounds');
  const skipClamp = inRange.has(sourceColumn(priced, agg.column));
  const x = skipClamp
    ? col(agg.column)
    : clampValue(col(agg.column), num(agg.bounds[0]), num(agg.bounds[1]));
  if (enc.fixedPoint === 1n)
    return skipClamp
      ? `CAST(${x} AS BIGINT)`
      : clampValue(`CAST(${x} AS BIGINT)`, `${enc.lo}`, `${enc.hi}`);
  // round() (half away from zero) in both encodings, so a value's integer does not depend on
  // which one the query uses; the cast of an integral DOUBLE to BIGINT is then exact.
  const rounded = `round(CAST(${x} AS DOUBLE) * ${enc.fixedPoint})`;
  const scaled = double ? rounded : `CAST(${rounded} AS BIGINT)`;
  // When lo·F and hi·F are exact integers far below 2^53, fl(x)·F rounded cannot leave
  // [lo·F, hi·F] (multiplication by F > 0 and rounding are monotone), so no second clamp.
  const exact = agg.bounds.every(
    (b) =>
      b.mul(enc.fixedPoint).isInteger() &&
      b
        .abs()
        .mul(enc.fixedPoint)
        .lt(2n ** 50n),
  );
  return exact ? scaled : clampValue(scaled, `${enc.lo}`, `${enc.hi}`);
}

function publicKeyFilter(priced: DpPricedPlan): string[] {
  return publicKeyFilters(priced).map((f) => f.sql);
}

/** Each public key set as a filter on its key's column, with the table the column belongs to. */
function publicKeyFilters(priced: DpPricedPlan): { table: number; sql: string }[] {
  return priced.logical.keys.flatMap((key) => {
    if (!key.publicKeys || key.bin || key.clampTo) return [];
    const values = key.publicKeys.map((v) =>
      typeof v === 'string'
        ? sqlString(v)
        : typeof v === 'boolean'
          ? v
            ? 'TRUE'
            : 'FALSE'
          : `${v}`,
    );
    return [
      {
        table: key.column.table,
        sql: `${key.column.type === 'date' ? `CAST(${col(key.column)} AS VARCHAR)` : col(key.column)} IN (${values.join(', ')})`,
      },
    ];
  });
}

/** The columns a predicate reads. */
function predicateColumns(p: PlanPredicate): PlanColumn[] {
  switch (p.kind) {
    case 'compare':
      return [p.left, p.right].flatMap((o) => (o.kind === 'column' ? [o.column] : []));
    case 'and':
    case 'or':
      return p.args.flatMap(predicateColumns);
    case 'not':
      return predicateColumns(p.arg);
    default:
      return [p.column];
  }
}

/** The conjuncts of a predicate (nested ANDs flattened). */
function conjuncts(p: PlanPredicate): PlanPredicate[] {
  return p.kind === 'and' ? p.args.flatMap(conjuncts) : [p];
}

/**
 * CTEs bounding each table `i` of a join (unless `tablesWithinLimits[i]`) to its own view's
 * max_rows_per_unit per privacy unit, as `_kept<i>`, and which tables they bound. Rows are first
 * filtered by the conjuncts of WHERE and the public key sets that read only that table (a filter
 * on one table's columns keeps the same joined rows whether applied before or after the join, and
 * rows it drops must not use up a unit's slots); rows without a unit are dropped (an inner join on
 * the unit drops them anyway). The rows kept then depend only on the unit's own rows in that table
 * and the salt, so the transform stays stable. Units within the limit pass untouched; only the
 * rows of units over it go through the window. The names start with `_`, which no source name
 * (`[a-z][a-z0-9_]*`) does, so they never hide a source from a later CTE.
 */
function preBoundCtes(
  priced: DpPricedPlan,
  saltText: string,
  shortcut: BoundingShortcut,
): { ctes: string[]; bounded: boolean[] } {
  const plan = priced.logical;
  const ctes: string[] = [];
  const bounded = plan.tables.map(() => false);
  if (plan.tables.length < 2) return { ctes, bounded };
  const filters = [
    ...(plan.where ? conjuncts(plan.where) : []).flatMap((p) => {
      const [table, ...others] = new Set(predicateColumns(p).map((c) => c.table));
      return table !== undefined && others.length === 0 ? [{ table, sql: predicate(p) }] : [];
    }),
    ...publicKeyFilters(priced),
  ];
  // The columns the query reads from each table, for the hash that orders a unit's rows.
  const read = plan.tables.map((t) => new Set<string>([t.unit]));
  const use = (c: PlanColumn) => read[c.table]?.add(c.column);
  plan.keys.forEach((k) => use(k.column));
  plan.aggregates.forEach((a) => a.column && use(a.column));
  if (plan.where) predicateColumns(plan.where).forEach(use);
  plan.tables.forEach((t, i) => {
    if (shortcut.tablesWithinLimits?.[i]) return;
    bounded[i] = true;
    const alias = `t${i}`;
    const unit = `${alias}.${quoteIdent(t.unit)}`;
    const where = [
      `${unit} IS NOT NULL`,
      ...filters.filter((f) => f.table === i).map((f) => f.sql),
    ];
    const hashed = [...(read[i] ?? [])].sort().map((c) => `${alias}.${quoteIdent(c)}`);
    const limit = t.maxRowsPerUnit;
    const units = (cond: string) =>
      `_rows${i} AS ${alias} SEMI JOIN (SELECT u FROM _cnt${i} WHERE ${cond}) w ON ${unit} = w.u`;
    ctes.push(
      `_rows${i} AS (SELECT * FROM ${quoteIdent(t.source)} AS ${alias} WHERE ${where.join(' AND ')})`,
      `_cnt${i} AS (SELECT ${unit} AS u, count(*) AS n FROM _rows${i} AS ${alias} GROUP BY ${unit})`,
      `_kept${i} AS (SELECT * FROM ${units(`n <= ${limit}`)} UNION ALL (SELECT * FROM ${units(`n > ${limit}`)} QUALIFY row_number() OVER (PARTITION BY ${unit} ORDER BY hash(${[...hashed, saltText].join(', ')})) <= ${limit}))`,
    );
  });
  return { ctes, bounded };
}

/** The SQL computing every measurement's exact value per group. */
export function renderAggregateSql(
  priced: DpPricedPlan,
  salt: bigint,
  shortcut: BoundingShortcut,
): string {
  const plan = priced.logical;
  const [first, ...rest] = plan.tables;
  if (!first) throw new Error('plan without tables');
  const saltText = `CAST(${salt} AS UBIGINT)`;
  const pre = preBoundCtes(priced, saltText, shortcut);
  const table = (i: number) =>
    pre.bounded[i] ? `_kept${i}` : quoteIdent(plan.tables[i]?.source ?? '');
  const from = [
    `${table(0)} AS t0`,
    ...rest.map(
      (t, i) =>
        `JOIN ${table(i + 1)} AS t${i + 1} ON t0.${quoteIdent(first.unit)} = t${i + 1}.${quoteIdent(t.unit)}`,
    ),
  ].join(' ');
  const keys = plan.keys.map((_, i) => `k${i}`);
  const { slots, slotOf } = valueSlots(priced, shortcut);
  const select = [
    `t0.${quoteIdent(first.unit)} AS u`,
    ...keys.map((k, i) => `${keyExpr(priced, i)} AS ${k}`),
    ...slots.map((s, i) => `${s.expr} AS v${i}`),
  ];
  const bounding =
    !shortcut.skipRows ||
    (!shortcut.skipGroups && keys.length > 0 && plan.maxGroupsPerUnit < plan.maxRowsPerUnit);
  // Rows outside public key sets must go before bounding (they would use up a unit's slots);
  // without bounding their groups are simply never read, so the filter is skipped.
  const where = [
    ...(plan.where ? [predicate(plan.where)] : []),
    ...(bounding ? publicKeyFilter(priced) : []),
  ];
  const rowCols = ['u', ...keys, ...slots.map((_, i) => `v${i}`)].join(', ');
  // Rows without a privacy unit cannot be bounded and never count; when the engine's stats show
  // there are none, the filter is skipped (it costs a scan of the unit column, ~25% of the query).
  const baseWhere = [
    ...(shortcut.noNullUnits ? [] : [`t0.${quoteIdent(first.unit)} IS NOT NULL`]),
    ...where,
  ];
  const whereSql = baseWhere.length > 0 ? ` WHERE ${baseWhere.join(' AND ')}` : '';
  const ctes = [...pre.ctes, `base AS (SELECT ${select.join(', ')} FROM ${from}${whereSql})`];
  let current = 'base';
  const groupBound =
    !shortcut.skipGroups && keys.length > 0 && plan.maxGroupsPerUnit < plan.maxRowsPerUnit;
  if (!shortcut.skipRows || groupBound) {
    // Units within both limits pass untouched (the windows would keep all their rows); only the
    // rows of units over a limit go through the (sort-based, slower) windows.
    const groups = groupBound ? `, count(DISTINCT row(${keys.join(', ')})) AS g` : '';
    const within = `n <= ${plan.maxRowsPerUnit}${groupBound ? ` AND g <= ${plan.maxGroupsPerUnit}` : ''}`;
    ctes.push(`cnt AS (SELECT u, count(*) AS n${groups} FROM base GROUP BY u)`);
    ctes.push(
      `light AS (SELECT * FROM base SEMI JOIN (SELECT u FROM cnt WHERE ${within}) w USING (u))`,
    );
    ctes.push(
      `heavy AS (SELECT * FROM base SEMI JOIN (SELECT u FROM cnt WHERE NOT (${within})) w USING (u))`,
    );
    let over = 'heavy';
    if (!shortcut.skipRows) {
      ctes.push(
        `rb AS (SELECT * EXCLUDE (rn) FROM (SELECT *, row_number() OVER (PARTITION BY u ORDER BY hash(${rowCols}, ${saltText})) AS rn FROM ${over}) WHERE rn <= ${plan.maxRowsPerUnit})`,
      );
      over = 'rb';
    }
    if (groupBound) {
      const order = [`hash(${keys.join(', ')}, ${saltText})`, ...keys].join(', ');
      ctes.push(
        `gb AS (SELECT * EXCLUDE (gr) FROM (SELECT *, dense_rank() OVER (PARTITION BY u ORDER BY ${order}) AS gr FROM ${over}) WHERE gr <= ${plan.maxGroupsPerUnit})`,
      );
      over = 'gb';
    }
    ctes.push(`bounded AS (SELECT * FROM light UNION ALL SELECT * FROM ${over})`);
    current = 'bounded';
  }
  const measures = ['count(*) AS c'];
  slots.forEach((s, i) => {
    // DuckDB computes a repeated count(*) once, so a NULL-free slot's count costs nothing.
    measures.push(`count(${s.nullFree ? '*' : `v${i}`}) AS n${i}`);
    if (s.sum)
      measures.push(s.double ? `CAST(sum(v${i}) AS BIGINT) AS s${i}` : `sum(v${i}) AS s${i}`);
    if (s.sumSq) measures.push(`sum(CAST(v${i} AS HUGEINT) * v${i}) AS q${i}`);
  });
  if (plan.aggregates.some((a) => a.kind === 'count_distinct_unit') || priced.selection)
    measures.push('count(DISTINCT u) AS d');
  plan.aggregates.forEach((agg, i) => {
    const enc = priced.encodings[i];
    if (agg.kind !== 'quantile' || !enc) return;
    const span = `${enc.hi - enc.lo + 1n}`;
    const bins = enc.bins ?? 1;
    measures.push(
      // least() skips NULL, so a NULL value would land in the top bin: NULLs are left out, as
      // SQL's quantiles leave them out.
      `histogram(least(${bins - 1}, ((v${slotOf[i]} - ${enc.lo}) * ${bins}) // ${span})) FILTER (WHERE v${slotOf[i]} IS NOT NULL) AS h${i}`,
    );
  });
  const group = keys.length > 0 ? ` GROUP BY ${keys.join(', ')}` : '';
  return `WITH ${ctes.join(', ')} SELECT ${[...keys, ...measures].join(', ')} FROM ${current}${group}`;
}

/** SQL giving the largest number of rows any privacy unit has in a source (for the shortcut). */
export function maxRowsPerUnitSql(source: string, unit: string): string {
  return `SELECT coalesce(max(n), 0) AS n FROM (SELECT count(*) AS n FROM ${quoteIdent(source)} WHERE ${quoteIdent(unit)} IS NOT NULL GROUP BY ${quoteIdent(unit)})`;
}
