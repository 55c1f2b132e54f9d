/**
 * FROM-clause resolution: which dp views a query reads and how a column name resolves. Only dp
 * views are visible; raw sources, masked/synthetic views, table functions and subqueries are
 * refused, and joins must be inner equi-joins on the privacy units of both sides.
 */
import { declared } from '../policy/lookup.js';
import type { DpView, Policy } from '../policy/schema.js';
import { child, isNode, list, text, type AstNode } from './ast.js';
import { refuse } from './errors.js';
import type { PlanColumn, PlanColumnType, PlanTable } from './plan.js';

/** A table in scope: its plan entry, the alias it is known by, and its allowed columns. */
export interface ScopeTable {
  plan: PlanTable;
  alias: string;
  columns: Map<
    string,
    {
      type: PlanColumnType;
      identifier: boolean;
      bounds?: [number, number];
      categories?: (string | number)[];
    }
  >;
  view: DpView;
  /** The declared type of the source's privacy-unit column (joined units must share it). */
  unitType: string;
}

/**
 * Most rows one privacy unit may have in a join before it is bounded: the product of the joined
 * views' `max_rows_per_unit` (the gateway bounds each view to its own limit before joining). A
 * larger join could take memory or time that one person's rows decide.
 */
export const MAX_JOINED_ROWS_PER_UNIT = 100_000;

/** The tables of a query, in FROM order. */
export interface Scope {
  tables: ScopeTable[];
}

const SHAPE = 'use SELECT <keys>, <aggregates> FROM <dp view> [WHERE …] [GROUP BY …]';

function dpViewNames(policy: Policy): string[] {
  return Object.entries(policy.views)
    .filter(([, v]) => v.tier === 'dp')
    .map(([n]) => n);
}

function baseTable(node: AstNode, policy: Policy): ScopeTable {
  const name = text(node, 'table_name', 'FROM').toLowerCase();
  const schema = text(node, 'schema_name', 'FROM');
  const catalog = text(node, 'catalog_name', 'FROM');
  const known = dpViewNames(policy).join(', ') || '(none declared)';
  if (schema !== '' || catalog !== '') {
    refuse(
      'unknown_table',
      `Qualified table names (schema or catalog) are not allowed`,
      `query a dp view by its bare name: ${known}`,
    );
  }
  if (node['sample'] !== null && node['sample'] !== undefined) {
    refuse(
      'unsupported_clause',
      'TABLESAMPLE is not supported in DP queries',
      'remove the sample clause; DP noise already protects individuals',
    );
  }
  if (list(node, 'column_name_alias', 'FROM').length > 0 || (node['at_clause'] ?? null) !== null) {
    refuse(
      'unsupported_clause',
      'Column aliases or AT clauses on a table are not supported',
      'refer to the view by name (an alias like `FROM v AS p` is fine)',
    );
  }
  const view = Object.hasOwn(policy.views, name) ? policy.views[name] : undefined;
  if (!view) {
    const isSource = Object.hasOwn(policy.sources, name);
    refuse(
      isSource ? 'not_dp_view' : 'unknown_table',
      isSource
        ? `"${name}" is a raw source; DP queries may only read dp views`
        : `Unknown table "${name}"`,
      `query one of the dp views: ${known}`,
    );
  }
  if (view.tier !== 'dp') {
    refuse(
      'not_dp_view',
      `View "${name}" is a ${view.tier} view, not a dp view`,
      `read ${view.tier} views directly (they are published); DP queries use: ${known}`,
    );
  }
  const source = declared(policy.sources, view.source);
  if (!source) refuse('unknown_table', `View "${name}" names a missing source`, 'fix the policy');
  const columns: ScopeTable['columns'] = new Map();
  for (const col of view.columns) {
    const decl = declared(source.columns, col);
    if (!decl) continue;
    columns.set(col, {
      type: decl.type,
      identifier: decl.identifier === true,
      ...(decl.bounds ? { bounds: decl.bounds } : {}),
      ...(decl.categories ? { categories: decl.categories } : {}),
    });
  }
  const alias = text(node, 'alias', 'FROM').toLowerCase() || name;
  return {
    plan: {
      view: name,
      source: view.source,
      unit: source.privacy_unit,
      maxRowsPerUnit: view.contribution.max_rows_per_unit,
      maxGroupsPerUnit: view.contribution.max_groups_per_unit,
    },
    alias,
    columns,
    view,
    unitType: declared(source.columns, source.privacy_unit)?.type ?? 'undeclared',
  };
}

function collect(node: AstNode, policy: Policy, out: ScopeTable[], joins: AstNode[]): void {
  const type = text(node, 'type', 'FROM');
  if (type === 'BASE_TABLE') {
    out.push(baseTable(node, policy));
    return;
  }
  if (type === 'JOIN') {
    if (
      text(node, 'join_type', 'JOIN') !== 'INNER' ||
      text(node, 'ref_type', 'JOIN') !== 'REGULAR'
    ) {
      refuse(
        'bad_join',
        'Only inner joins of dp views on their privacy unit are supported',
        'write `FROM a JOIN b ON a.<unit> = b.<unit>`',
      );
    }
    collect(child(node, 'left', 'JOIN'), policy, out, joins);
    collect(child(node, 'right', 'JOIN'), policy, out, joins);
    joins.push(node);
    return;
  }
  if (type === 'TABLE_FUNCTION') {
    refuse(
      'unknown_table',
      'Table functions (read_csv, read_parquet, range, …) cannot be queried',
      `${SHAPE}; files and functions are never readable from DP queries`,
    );
  }
  if (type === 'SUBQUERY') {
    refuse(
      'unsupported_clause',
      'Subqueries in FROM are not supported (they could smuggle rows)',
      SHAPE,
    );
  }
  if (type === 'EMPTY') refuse('row_level', 'A query without FROM reads no dp view', SHAPE);
  refuse('unsupported_clause', `FROM clause of type ${type} is not supported`, SHAPE);
}

/** Resolves a COLUMN_REF's name parts to a table of the scope and a column. */
export function resolveColumn(
  scope: Scope,
  parts: string[],
  where: string,
): { table: number; column: string } {
  const names = parts.map((p) => p.toLowerCase());
  if (names.length === 0 || names.length > 2) {
    refuse(
      'unknown_column',
      `Column reference in ${where} has an unsupported form`,
      'write `column` or `alias.column`',
    );
  }
  const column = names[names.length - 1] as string;
  const qualifier = names.length === 2 ? names[0] : undefined;
  const matches = scope.tables
    .map((t, i) => ({ t, i }))
    .filter(
      ({ t }) =>
        (qualifier === undefined || t.alias === qualifier || t.plan.view === qualifier) &&
        t.columns.has(column),
    );
  if (matches.length === 0) {
    const allowed = scope.tables
      .map((t) => `${t.alias}: ${[...t.columns.keys()].join(', ')}`)
      .join('; ');
    refuse(
      'unknown_column',
      `Column "${parts.join('.')}" in ${where} is not a column of the queried dp view(s)`,
      `use a declared column (${allowed})`,
    );
  }
  if (matches.length > 1) {
    refuse(
      'unknown_column',
      `Column "${column}" in ${where} is ambiguous`,
      'qualify it with the view alias, e.g. `p.column`',
    );
  }
  return { table: (matches[0] as { i: number }).i, column };
}

/** A resolved column with its declared type, refusing identifier columns unless allowed. */
export function planColumn(
  scope: Scope,
  node: AstNode,
  where: string,
  allowIdentifier = false,
): PlanColumn {
  const parts = list(node, 'column_names', where).map((p) => (typeof p === 'string' ? p : ''));
  const { table, column } = resolveColumn(scope, parts, where);
  const info = scope.tables[table]?.columns.get(column);
  if (!info)
    return refuse('unknown_column', `Column "${column}" is not available`, 'use a declared column');
  if (info.identifier && !allowIdentifier) {
    refuse(
      'identifier_column',
      `Column "${column}" is a direct identifier; it cannot be filtered, grouped or aggregated on`,
      'group or filter by a non-identifying column; count people with COUNT(DISTINCT <privacy unit>)',
    );
  }
  return { table, column, type: info.type };
}

function isUnitRef(scope: Scope, node: unknown, expectTable: number): boolean {
  if (!isNode(node) || node['class'] !== 'COLUMN_REF') return false;
  const parts = list(node, 'column_names', 'JOIN').map((p) => (typeof p === 'string' ? p : ''));
  const { table, column } = resolveColumn(scope, parts, 'JOIN ON');
  return table === expectTable && scope.tables[table]?.plan.unit === column;
}

/** Builds the scope from `from_table`, checking every join is on the privacy units. */
export function buildScope(from: unknown, policy: Policy): Scope {
  if (!isNode(from)) return refuse('row_level', 'The query reads no table', SHAPE);
  const tables: ScopeTable[] = [];
  const joins: AstNode[] = [];
  collect(from, policy, tables, joins);
  const scope: Scope = { tables };
  if (tables.length > 4) refuse('bad_join', 'At most 4 dp views can be joined', 'join fewer views');
  const aliases = new Set(tables.map((t) => t.alias));
  if (aliases.size !== tables.length)
    refuse('bad_join', 'Two joined views share a name', 'give each view its own alias');
  // Join i (in post-order) joins table i+1 to the tables before it, which share one unit chain.
  joins.forEach((join, i) => {
    const right = i + 1;
    const using = list(join, 'using_columns', 'JOIN').map((c) => String(c).toLowerCase());
    const fix = 'join dp views only on their privacy units: `FROM a JOIN b ON a.<unit> = b.<unit>`';
    if (using.length > 0) {
      const ok =
        using.length === 1 && tables.slice(0, right + 1).every((t) => t.plan.unit === using[0]);
      if (!ok) refuse('bad_join', 'USING must name exactly the privacy unit of both views', fix);
      return;
    }
    const cond = join['condition'];
    if (!isNode(cond) || cond['type'] !== 'COMPARE_EQUAL')
      refuse('bad_join', 'Join condition must be one equality of privacy units', fix);
    const [l, r] = [cond['left'], cond['right']];
    const okL =
      tables.slice(0, right).some((_, t) => isUnitRef(scope, l, t)) && isUnitRef(scope, r, right);
    const okR =
      tables.slice(0, right).some((_, t) => isUnitRef(scope, r, t)) && isUnitRef(scope, l, right);
    if (!okL && !okR) refuse('bad_join', 'Join is not on the privacy units of both views', fix);
  });
  checkJoinedUnits(tables);
  return scope;
}

/**
 * Refuses joins whose privacy units differ in type, and joins that could give one unit more than
 * MAX_JOINED_ROWS_PER_UNIT rows. Why the types: DuckDB would convert one unit column to the
 * other's type row by row, failing on some values only (whether the query fails would then
 * depend on which rows pass WHERE) and matching values that differ as text ('007' and '7').
 */
function checkJoinedUnits(tables: readonly ScopeTable[]): void {
  if (tables.length < 2) return;
  const types = [...new Set(tables.map((t) => t.unitType))];
  if (types.length > 1) {
    const which = tables.map((t) => `${t.plan.view}.${t.plan.unit} (${t.unitType})`).join(', ');
    refuse(
      'bad_join',
      `The joined views' privacy units have different types: ${which}`,
      'join only views whose sources declare their privacy unit with the same type (ask the data steward to align them in the policy)',
    );
  }
  const rows = tables.reduce((product, t) => product * t.plan.maxRowsPerUnit, 1);
  if (rows > MAX_JOINED_ROWS_PER_UNIT) {
    const limits = tables.map((t) => `${t.plan.view} ${t.plan.maxRowsPerUnit}`).join(' × ');
    refuse(
      'bad_join',
      `This join could give one person up to ${rows} rows before they are bounded (${limits}); at most ${MAX_JOINED_ROWS_PER_UNIT} are allowed`,
      'join fewer views (a view joined with itself multiplies its limit), or aggregate each view in its own query',
    );
  }
}
