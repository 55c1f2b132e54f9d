/**
 * The DP SQL analyzer: DuckDB's own parser turns the SQL into a JSON AST (in the gateway), and
 * this pure function walks it into a DpLogicalPlan or refuses with {code, message, fix}. It is a
 * whitelist: every clause and node kind not explicitly understood is refused, so nothing can run
 * without noise and no row-level value can come out.
 */
import type { Policy } from '../policy/schema.js';
import { checkSize, child, isNode, list, text, type AstNode } from './ast.js';
import { checkClauses, checkStatement, SHAPE } from './clauses.js';
import { DpSqlError, refuse } from './errors.js';
import type { DpLogicalPlan, PlanAggregate, PlanGroupKey, PlanOutput } from './plan.js';
import { parsePredicate } from './predicate.js';
import { buildScope, type Scope } from './scope.js';
import {
  MAX_PUBLIC_GROUPS,
  isAggregateCall,
  keySignature,
  parseAggregate,
  parseKeyExpression,
} from './select.js';

function outputName(node: AstNode, fallback: string, used: Set<string>): string {
  let name = text(node, 'alias', 'SELECT').toLowerCase() || fallback;
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name)) name = fallback;
  let unique = name;
  for (let i = 2; used.has(unique); i++) unique = `${name}_${i}`;
  used.add(unique);
  return unique;
}

function aggregateFallback(node: AstNode): string {
  const fn = text(node, 'function_name', 'SELECT').toLowerCase();
  const arg = list(node, 'children', 'SELECT')[0];
  const col = isNode(arg) ? list(arg, 'column_names', 'SELECT').map(String).pop() : undefined;
  return fn === 'count_star' ? 'count' : col ? `${fn}_${col.toLowerCase()}` : fn;
}

function groupKeys(scope: Scope, node: AstNode, selectList: AstNode[]): PlanGroupKey[] {
  const groups = list(node, 'group_expressions', 'GROUP BY');
  const sets = list(node, 'group_sets', 'GROUP BY');
  const ok =
    groups.length === 0
      ? sets.length === 0
      : sets.length === 1 && Array.isArray(sets[0]) && sets[0].length === groups.length;
  if (!ok)
    refuse(
      'unsupported_clause',
      'GROUPING SETS, ROLLUP and CUBE are not supported',
      'use one plain GROUP BY list',
    );
  return groups.map((g) => {
    if (!isNode(g)) return refuse('bad_group_by', 'Unreadable GROUP BY entry', SHAPE);
    let expr: AstNode = g;
    let alias = '';
    if (g['class'] === 'CONSTANT') {
      const v = child(g, 'value', 'GROUP BY')['value'];
      const item = typeof v === 'number' ? selectList[v - 1] : undefined;
      if (!item)
        refuse('bad_group_by', 'GROUP BY position is out of range', 'group by a column name');
      expr = item;
      alias = text(item, 'alias', 'GROUP BY');
    } else if (g['class'] === 'COLUMN_REF') {
      const parts = list(g, 'column_names', 'GROUP BY');
      const aliased =
        parts.length === 1
          ? selectList.find(
              (s) => text(s, 'alias', 'SELECT').toLowerCase() === String(parts[0]).toLowerCase(),
            )
          : undefined;
      const name = String(parts[0]).toLowerCase();
      const isColumn = scope.tables.some((t) => t.columns.has(name));
      // Like DuckDB: a real column wins; otherwise a select-list alias is resolved.
      if (aliased && (aliased['class'] !== 'COLUMN_REF' || !isColumn)) {
        expr = aliased;
        alias = text(aliased, 'alias', 'SELECT');
      }
    }
    if (isAggregateCall(expr)) refuse('bad_group_by', 'Cannot GROUP BY an aggregate', SHAPE);
    const parts = list(expr, 'column_names', 'GROUP BY').map(String);
    return parseKeyExpression(
      scope,
      expr,
      alias.toLowerCase() || parts[parts.length - 1]?.toLowerCase() || 'bin',
    );
  });
}

/** Walks DuckDB's JSON AST of one SELECT into a validated logical plan, or throws DpSqlError. */
export function analyzeDpSql(ast: unknown, policy: Policy): DpLogicalPlan {
  checkSize(ast);
  const node = checkStatement(ast);
  checkClauses(node);
  const scope = buildScope(node['from_table'], policy);
  const selectList = list(node, 'select_list', 'SELECT').map((s) =>
    isNode(s) ? s : refuse('row_level', 'Unreadable select item', SHAPE),
  );
  if (selectList.length === 0) refuse('row_level', 'Empty select list', SHAPE);
  const where =
    node['where_clause'] === null || node['where_clause'] === undefined
      ? undefined
      : parsePredicate(scope, node['where_clause']);
  const keys = groupKeys(scope, node, selectList);
  const signatures = keys.map(keySignature);
  if (new Set(signatures).size !== signatures.length)
    refuse('bad_group_by', 'A GROUP BY key is repeated', 'list each key once');
  const aggregates: PlanAggregate[] = [];
  const outputs: PlanOutput[] = [];
  const used = new Set<string>();
  const keyUsed = new Set<number>();
  for (const item of selectList) {
    const cls = String(item['class']);
    if (cls === 'STAR')
      refuse(
        'row_level',
        'SELECT * would release individual rows',
        'select aggregates such as COUNT(*), SUM(col), AVG(col), grouped by public columns',
      );
    if (cls === 'WINDOW')
      refuse(
        'unsupported_expression',
        'Window functions (OVER …) are not supported; they compute per-row values',
        'use plain aggregates with GROUP BY',
      );
    if (cls === 'SUBQUERY')
      refuse('unsupported_expression', 'Subqueries are not supported in the select list', SHAPE);
    if (isAggregateCall(item)) {
      aggregates.push(parseAggregate(scope, item, outputName(item, aggregateFallback(item), used)));
      outputs.push({ kind: 'aggregate', index: aggregates.length - 1 });
      continue;
    }
    if (cls === 'FUNCTION' || cls === 'COLUMN_REF') {
      let sig: string | undefined;
      try {
        sig = keySignature(parseKeyExpression(scope, item, 'probe', 'SELECT'));
      } catch (err) {
        // A misspelt column inside floor(…) is that, not an unsupported function.
        const unknownColumn = err instanceof DpSqlError && err.refusal.code === 'unknown_column';
        if (cls === 'FUNCTION' && !unknownColumn) {
          const fn = text(item, 'function_name', 'SELECT').slice(0, 60);
          refuse(
            'unsupported_expression',
            `Function ${fn}() is not a supported aggregate or group key`,
            'use COUNT/SUM/AVG/VAR/STDDEV/MEDIAN/QUANTILE_CONT, or group by a column or floor(col / width)',
          );
        }
        throw err;
      }
      const index = signatures.indexOf(sig);
      if (index < 0) {
        refuse(
          'row_level',
          'A column appears in SELECT without an aggregate and is not in GROUP BY; that would list raw values',
          'aggregate it (e.g. AVG(col)) or add it to GROUP BY',
        );
      }
      const key = keys[index] as PlanGroupKey;
      if (!keyUsed.has(index)) {
        key.name = outputName(item, key.name, used);
        keyUsed.add(index);
      }
      outputs.push({ kind: 'key', index });
      continue;
    }
    refuse(
      'unsupported_expression',
      `Select items of kind ${cls.toLowerCase()} are not supported`,
      'select group keys and aggregates only',
    );
  }
  if (aggregates.length === 0)
    refuse(
      'row_level',
      'The query has no aggregate, so it would list raw values',
      'add COUNT(*) or another aggregate',
    );
  if (aggregates.length > 20)
    refuse('unsupported_aggregate', 'At most 20 aggregates per query', 'split the query');
  keys.forEach((k, i) => {
    if (!keyUsed.has(i)) used.add(k.name);
  });
  let groups = 1;
  for (const k of keys) groups *= k.publicKeys?.length ?? 1;
  if (keys.every((k) => k.publicKeys) && groups > MAX_PUBLIC_GROUPS) {
    refuse(
      'too_many_groups',
      `The public key domains give ${groups} groups (more than ${MAX_PUBLIC_GROUPS})`,
      'group by fewer or coarser keys',
    );
  }
  const tables = scope.tables.map((t) => t.plan);
  return {
    tables,
    ...(where ? { where } : {}),
    keys,
    aggregates,
    outputs,
    maxRowsPerUnit: Math.max(...tables.map((t) => t.maxRowsPerUnit)),
    maxGroupsPerUnit: Math.min(...tables.map((t) => t.maxGroupsPerUnit)),
    warnings: [],
  };
}
