/**
 * Statement- and clause-level checks of the analyzer: exactly one SELECT, and no clause the DP
 * subset does not understand (LIMIT, ORDER BY, DISTINCT, CTEs, HAVING, QUALIFY, samples, set
 * operations, unknown AST keys). Everything not listed is refused (fail closed).
 */
import { child, isNode, list, text, type AstNode } from './ast.js';
import { refuse } from './errors.js';
/** The supported query shape, quoted in fixes. */
export const SHAPE =
  'write one SELECT <keys>, <aggregates> FROM <dp view> [WHERE …] [GROUP BY <keys>]';
const KNOWN_SELECT_KEYS = new Set([
  'type',
  'modifiers',
  'cte_map',
  'select_list',
  'from_table',
  'where_clause',
  'group_expressions',
  'group_sets',
  'aggregate_handling',
  'having',
  'sample',
  'qualify',
]);

/** Checks the AST holds exactly one SELECT_NODE and returns it. */
export function checkStatement(root: unknown): AstNode {
  if (!isNode(root)) return refuse('parse_error', 'The SQL could not be parsed', SHAPE);
  if (root['error'] === true) {
    const msg = typeof root['error_message'] === 'string' ? root['error_message'] : '';
    if (/only select/i.test(msg)) {
      refuse(
        'not_select',
        'Only a single SELECT statement is accepted (no ATTACH, COPY, SET, PRAGMA, INSTALL, LOAD, CALL, DDL or DML, and no second statement)',
        SHAPE,
      );
    }
    refuse(
      'parse_error',
      `The SQL could not be parsed: ${msg.slice(0, 300)}`,
      'fix the syntax; ' + SHAPE,
    );
  }
  const statements = list(root, 'statements', 'query');
  if (statements.length !== 1) {
    refuse(
      'multiple_statements',
      `Expected exactly one statement, got ${statements.length}`,
      'send one SELECT per query',
    );
  }
  const node = child(child({ s: statements[0] }, 's', 'statement'), 'node', 'statement');
  const type = text(node, 'type', 'statement');
  if (type === 'SET_OPERATION_NODE') {
    refuse(
      'unsupported_clause',
      'UNION / INTERSECT / EXCEPT are not supported',
      'run each SELECT as its own DP query',
    );
  }
  if (type === 'RECURSIVE_CTE_NODE' || type === 'CTE_NODE') {
    refuse('unsupported_clause', 'WITH (CTE) queries are not supported', SHAPE);
  }
  if (type !== 'SELECT_NODE')
    refuse('unsupported_clause', `Statement of kind ${type} is not supported`, SHAPE);
  return node;
}

/** Refuses every clause of a SELECT_NODE outside the DP subset. */
export function checkClauses(node: AstNode): void {
  for (const key of Object.keys(node)) {
    if (!KNOWN_SELECT_KEYS.has(key))
      refuse('unsupported_clause', `Unsupported clause "${key}"`, SHAPE);
  }
  const clause = (key: string, label: string, fix: string) => {
    const v = node[key];
    if (v !== null && v !== undefined && !(Array.isArray(v) && v.length === 0))
      refuse('unsupported_clause', `${label} is not supported in DP queries`, fix);
  };
  const modifiers = list(node, 'modifiers', 'SELECT').map((m) =>
    isNode(m) ? String(m['type']) : '?',
  );
  if (modifiers.includes('LIMIT_MODIFIER') || modifiers.includes('LIMIT_PERCENT_MODIFIER')) {
    refuse(
      'unsupported_clause',
      'LIMIT/OFFSET is not supported in DP queries (it could select individuals)',
      'remove LIMIT; filter groups in the notebook after release',
    );
  }
  if (modifiers.includes('DISTINCT_MODIFIER'))
    refuse(
      'unsupported_clause',
      'SELECT DISTINCT would list raw values',
      'use GROUP BY with COUNT(*) instead',
    );
  if (modifiers.length > 0)
    refuse(
      'unsupported_clause',
      'ORDER BY is not supported in DP queries',
      'sort the released table in the notebook',
    );
  const cte = node['cte_map'];
  if (isNode(cte) && list(cte, 'map', 'WITH').length > 0)
    refuse('unsupported_clause', 'WITH (CTE) queries are not supported', SHAPE);
  clause('having', 'HAVING', 'filter the released groups in the notebook (after noise)');
  clause('qualify', 'QUALIFY', SHAPE);
  clause('sample', 'USING SAMPLE', 'remove the sample clause');
  if (node['aggregate_handling'] !== 'STANDARD_HANDLING')
    refuse('unsupported_clause', 'GROUP BY ALL is not supported', 'list the group keys explicitly');
}
