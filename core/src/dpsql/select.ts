/**
 * Select-list and GROUP BY analysis: which expressions are group keys (plain columns, or
 * fixed-width bins `floor(col / w)` / `floor(col / w) * w` of a bounded column) and which are
 * supported aggregates. Public key domains come from the policy (`public_keys`, `categories`,
 * booleans, bounded integers, bins within bounds); anything else needs DP partition selection.
 */
import { Rational } from '../dp/rational.js';
import { declared } from '../policy/lookup.js';
import { isNode, list, text, type AstNode } from './ast.js';
import { DECIMAL_FIXED_POINT } from './encode.js';
import { refuse } from './errors.js';
import type { PlanAggregate, PlanAggregateKind, PlanColumn, PlanGroupKey } from './plan.js';
import { parseLiteral } from './predicate.js';
import { planColumn, resolveColumn, type Scope } from './scope.js';

/** Most groups a public key domain (cross product) may have. */
export const MAX_PUBLIC_GROUPS = 10_000;
/** Bounded integer columns with at most this many values are grouped over their public domain. */
export const MAX_INTEGER_DOMAIN = 1000;

const AGGREGATES: Record<string, PlanAggregateKind> = {
  count_star: 'count',
  count: 'count_column',
  sum: 'sum',
  avg: 'avg',
  mean: 'avg',
  var_samp: 'var_samp',
  variance: 'var_samp',
  var_pop: 'var_pop',
  stddev: 'stddev_samp',
  stddev_samp: 'stddev_samp',
  stddev_pop: 'stddev_pop',
  median: 'quantile',
  quantile_cont: 'quantile',
  quantile: 'quantile',
  quantile_disc: 'quantile',
};
const AGG_FIX =
  'use COUNT(*), COUNT(col), COUNT(DISTINCT <privacy unit>), SUM, AVG, VAR_SAMP/VAR_POP, STDDEV, MEDIAN or QUANTILE_CONT(col, p) on plain columns';

/** True when a select-list node is an aggregate call. */
export function isAggregateCall(node: AstNode): boolean {
  return (
    node['class'] === 'FUNCTION' &&
    Object.hasOwn(AGGREGATES, text(node, 'function_name', 'SELECT').toLowerCase())
  );
}

/** Largest |bound| × fixed-point factor an aggregated column may have (2^50). */
const MAX_ENCODED_BOUND = 2n ** 50n;

function boundsOf(scope: Scope, col: PlanColumn, why: string): [Rational, Rational] {
  const table = scope.tables[col.table];
  const bounds = table?.columns.get(col.column)?.bounds;
  if (col.type !== 'integer' && col.type !== 'number') {
    refuse(
      'unsupported_aggregate',
      `${why} needs a numeric column; "${col.column}" is ${col.type}`,
      'aggregate a numeric column, or COUNT(*) grouped by this column',
    );
  }
  if (!bounds) {
    refuse(
      'missing_bounds',
      `Column "${col.column}" has no declared bounds, so ${why} would have unbounded sensitivity`,
      `ask the data steward to add bounds: [lo, hi] to sources.${table?.plan.source ?? '?'}.columns.${col.column} in the policy`,
    );
  }
  const lo = Rational.from(bounds[0]);
  const hi = Rational.from(bounds[1]);
  if (!lo.lt(hi))
    refuse('missing_bounds', `Bounds of "${col.column}" are empty`, 'declare bounds with lo < hi');
  // Encoded values (and their histogram offsets) stay far inside DuckDB's BIGINT: a query that
  // overflowed on some rows only would fail — and be refunded — depending on the data.
  const f = col.type === 'integer' ? 1n : DECIMAL_FIXED_POINT;
  const widest = (lo.abs().gt(hi.abs()) ? lo : hi).abs().mul(f);
  if (!widest.lt(Rational.from(MAX_ENCODED_BOUND)))
    refuse(
      'missing_bounds',
      `Bounds of "${col.column}" are too wide for exact aggregation (a bound times ${f} must stay below 2^50)`,
      `ask the data steward to narrow bounds of sources.${table?.plan.source ?? '?'}.columns.${col.column} in the policy`,
    );
  return [lo, hi];
}

/** Aggregates whose SQL also sums the squares of the encoded values. */
const SQUARED: ReadonlySet<PlanAggregateKind> = new Set([
  'var_samp',
  'var_pop',
  'stddev_samp',
  'stddev_pop',
]);

/**
 * Most rows of one source the engine is taken to hold (2^40, about 10^12). Bounding keeps at most
 * R rows per unit, so a query sums at most this many times R squares.
 */
export const MAX_SOURCE_ROWS = 2n ** 40n;
/** DuckDB's HUGEINT, which sums the squares: a sum must stay below 2^127. */
const HUGEINT_LIMIT = 2n ** 127n;

/**
 * Refuses VAR/STDDEV of a column whose encoded squares, summed over the most rows a query can
 * read (MAX_SOURCE_ROWS × the largest joined `max_rows_per_unit`), could pass 2^127. Why: DuckDB
 * wraps such a HUGEINT sum silently on some plans and fails on others, so one person's value
 * could flip the result or decide whether the query fails. Decided from the policy alone.
 */
function squaresFit(scope: Scope, col: PlanColumn, [lo, hi]: [Rational, Rational], fn: string) {
  const f = col.type === 'integer' ? 1n : DECIMAL_FIXED_POINT;
  const widest = (lo.abs().gt(hi.abs()) ? lo : hi).abs().mul(f).ceil();
  const rows = BigInt(Math.max(...scope.tables.map((t) => t.plan.maxRowsPerUnit)));
  if (widest * widest * MAX_SOURCE_ROWS * rows >= HUGEINT_LIMIT) {
    const source = scope.tables[col.table]?.plan.source ?? '?';
    refuse(
      'missing_bounds',
      `Bounds of "${col.column}" are too wide for an exact ${fn.toUpperCase()}: its squares, summed over up to 2^40 × ${rows} rows, could pass 2^127`,
      `use AVG or SUM of "${col.column}", or ask the data steward to narrow bounds of sources.${source}.columns.${col.column} (or lower max_rows_per_unit) in the policy`,
    );
  }
}

/** Parses one aggregate call of the select list. */
export function parseAggregate(scope: Scope, node: AstNode, name: string): PlanAggregate {
  const fn = text(node, 'function_name', 'SELECT').toLowerCase();
  const kind = AGGREGATES[fn] as PlanAggregateKind;
  if (node['filter'] !== null && node['filter'] !== undefined) {
    refuse(
      'unsupported_aggregate',
      `FILTER clauses on aggregates are not supported`,
      'move the condition into WHERE (one query per filter)',
    );
  }
  const orders = node['order_bys'];
  if (
    (isNode(orders) && list(orders, 'orders', 'SELECT').length > 0) ||
    node['export_state'] === true
  ) {
    refuse('unsupported_aggregate', `ORDER BY inside ${fn}() is not supported`, AGG_FIX);
  }
  const args = list(node, 'children', 'SELECT');
  if (kind === 'count') return { name, kind };
  const arg = args[0];
  if (!isNode(arg) || arg['class'] !== 'COLUMN_REF') {
    refuse(
      'unsupported_aggregate',
      `${fn}() must aggregate a plain column, not an expression`,
      AGG_FIX,
    );
  }
  const distinct = node['distinct'] === true;
  if (kind === 'count_column') {
    if (args.length !== 1) refuse('unsupported_aggregate', 'COUNT takes one column', AGG_FIX);
    const parts = list(arg, 'column_names', 'COUNT').map(String);
    const { table, column } = resolveColumn(scope, parts, 'COUNT');
    const t = scope.tables[table];
    if (distinct) {
      if (t?.plan.unit !== column) {
        refuse(
          'unsupported_aggregate',
          `COUNT(DISTINCT ${column}) is only supported for the privacy unit`,
          `use COUNT(DISTINCT ${t?.plan.unit ?? 'unit'}) to count people, or GROUP BY ${column} to count values`,
        );
      }
      return { name, kind: 'count_distinct_unit', column: planColumn(scope, arg, 'COUNT', true) };
    }
    return { name, kind, column: planColumn(scope, arg, 'COUNT', true) };
  }
  if (distinct) refuse('unsupported_aggregate', `${fn}(DISTINCT …) is not supported`, AGG_FIX);
  const column = planColumn(scope, arg, `${fn}()`);
  const bounds = boundsOf(scope, column, `${fn.toUpperCase()}(${column.column})`);
  if (SQUARED.has(kind)) squaresFit(scope, column, bounds, fn);
  if (kind !== 'quantile') {
    if (args.length !== 1) refuse('unsupported_aggregate', `${fn}() takes one column`, AGG_FIX);
    return { name, kind, column, bounds };
  }
  let p = Rational.of(1n, 2n);
  if (fn !== 'median') {
    const lit = args.length === 2 ? parseLiteral(args[1], `${fn}()`) : undefined;
    if (!lit || lit.kind !== 'number' || lit.value.isNegative() || lit.value.gt(1n)) {
      refuse(
        'unsupported_aggregate',
        `${fn}(col, p) needs one literal p between 0 and 1`,
        'write e.g. QUANTILE_CONT(col, 0.9)',
      );
    }
    p = lit.value;
  } else if (args.length !== 1) refuse('unsupported_aggregate', 'MEDIAN takes one column', AGG_FIX);
  return { name, kind, column, bounds, p };
}

/**
 * A declared key list converted to the column's type. Second line of defence behind policy
 * loading: a value listed twice would release its group twice with fresh noise, and a value the
 * column cannot hold (NaN) would be a group no row is in, so either refuses the query.
 */
function keyValues(values: readonly (string | number)[], col: PlanColumn): (string | number)[] {
  const numeric = col.type === 'integer' || col.type === 'number';
  const keys = numeric
    ? values.map((v) => (typeof v === 'number' ? v : Number(v)))
    : values.map(String);
  const what = /^[aeiou]/.test(col.type) ? `an ${col.type}` : `a ${col.type}`;
  const seen = new Set<string | number>();
  for (const k of keys) {
    if (seen.has(k) || (typeof k === 'number' && !Number.isFinite(k)))
      refuse(
        'bad_group_by',
        `The policy's public keys of "${col.column}" list a value twice, or a value that is not ${what}, so its groups cannot be released safely`,
        `ask a steward to list each public key of "${col.column}" once, as ${what} (\`privet policy check\` shows where)`,
      );
    seen.add(k);
  }
  return keys;
}

function columnKey(scope: Scope, node: AstNode, name: string, where: string): PlanGroupKey {
  const column = planColumn(scope, node, where);
  const t = scope.tables[column.table];
  const listed = t?.view.public_keys ? declared(t.view.public_keys, column.column) : undefined;
  if (listed) return { name, column, publicKeys: keyValues(listed, column) };
  const info = t?.columns.get(column.column);
  if (info?.categories) return { name, column, publicKeys: keyValues(info.categories, column) };
  if (column.type === 'boolean') return { name, column, publicKeys: [false, true] };
  if (column.type === 'integer' && info?.bounds) {
    const lo = Rational.from(info.bounds[0]).ceil();
    const hi = Rational.from(info.bounds[1]).floor();
    if (hi >= lo && hi - lo < BigInt(MAX_INTEGER_DOMAIN)) {
      const keys: number[] = [];
      for (let v = lo; v <= hi; v++) keys.push(Number(v));
      return { name, column, clampTo: [Rational.of(lo), Rational.of(hi)], publicKeys: keys };
    }
  }
  return { name, column };
}

function binKey(
  scope: Scope,
  floorArg: unknown,
  width: unknown,
  multiply: boolean,
  name: string,
  where: string,
): PlanGroupKey {
  if (!isNode(floorArg) || floorArg['class'] !== 'COLUMN_REF') {
    return refuse(
      'bad_group_by',
      'Bins must be floor(<column> / <width>)',
      'write GROUP BY floor(col / 10)',
    );
  }
  const column = planColumn(scope, floorArg, where);
  const bounds = boundsOf(scope, column, 'binning');
  const w = parseLiteral(width, 'bin width');
  if (w.kind !== 'number' || !w.value.isPositive())
    refuse('bad_group_by', 'Bin width must be a positive number', 'write floor(col / 10)');
  const first = bounds[0].div(w.value).floor();
  const last = bounds[1].div(w.value).floor();
  // A bin index is cast to BIGINT per row: far from 0 it would overflow on whichever rows remain.
  const edge = 2n ** 53n;
  if (first <= -edge || last >= edge)
    refuse(
      'bad_group_by',
      `Bins of width ${w.value.toDisplayString()} over the bounds of "${column.column}" are numbered beyond 2^53`,
      'use wider bins',
    );
  if (last - first >= BigInt(MAX_PUBLIC_GROUPS)) {
    refuse(
      'too_many_groups',
      `Bins of width ${w.value.toDisplayString()} over the bounds give more than ${MAX_PUBLIC_GROUPS} groups`,
      'use wider bins',
    );
  }
  const keys: number[] = [];
  for (let b = first; b <= last; b++)
    keys.push(multiply ? Rational.of(b).mul(w.value).toNumber() : Number(b));
  return { name, column, bin: { width: w.value, multiply, bounds }, publicKeys: keys };
}

function isFn(node: unknown, name: string, arity: number): node is AstNode {
  return (
    isNode(node) &&
    node['class'] === 'FUNCTION' &&
    node['function_name'] === name &&
    list(node, 'children', name).length === arity
  );
}

/**
 * Parses a group-key expression: a column, floor(col / w), or floor(col / w) * w; `where` names
 * the clause it was written in, for refusals (a select item is matched against GROUP BY this way).
 */
export function parseKeyExpression(
  scope: Scope,
  node: AstNode,
  name: string,
  where = 'GROUP BY',
): PlanGroupKey {
  if (node['class'] === 'COLUMN_REF') return columnKey(scope, node, name, where);
  if (isFn(node, 'floor', 1)) {
    const inner = list(node, 'children', 'floor')[0];
    if (isFn(inner, '/', 2)) {
      const [col, w] = list(inner, 'children', '/');
      return binKey(scope, col, w, false, name, where);
    }
  }
  if (isFn(node, '*', 2)) {
    const [f, w] = list(node, 'children', '*');
    if (isFn(f, 'floor', 1)) {
      const inner = list(f, 'children', 'floor')[0];
      if (isFn(inner, '/', 2)) {
        const [col, w2] = list(inner, 'children', '/');
        const a = parseLiteral(w, 'bin width');
        const b = parseLiteral(w2, 'bin width');
        if (a.kind === 'number' && b.kind === 'number' && a.value.equals(b.value))
          return binKey(scope, col, w2, true, name, where);
      }
    }
  }
  return refuse(
    'bad_group_by',
    'GROUP BY supports plain columns and fixed-width bins only',
    'group by a column, or by bins: floor(col / width) or floor(col / width) * width',
  );
}

/** A canonical text for a key expression, to match select items against GROUP BY entries. */
export function keySignature(key: PlanGroupKey): string {
  const b = key.bin ? `/${key.bin.width.toString()}${key.bin.multiply ? '*' : ''}` : '';
  return `${key.column.table}.${key.column.column}${b}`;
}
