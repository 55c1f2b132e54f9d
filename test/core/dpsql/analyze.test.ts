// The analyzer is pure: it takes DuckDB's JSON AST (shapes as json_serialize_sql emits them) and
// needs no database, so the VS Code language server can reuse it.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parsePolicy } from '@privet/core';
import { analyzeDpSql } from '@privet/core/dpsql/analyze';
import { DpSqlError } from '@privet/core/dpsql/errors';

const policy = parsePolicy(`
version: 1
name: t
sources:
  people:
    path: p.csv
    format: csv
    privacy_unit: pid
    columns:
      pid: { type: integer, identifier: true }
      sex: { type: string, categories: [F, M] }
      income: { type: number, bounds: [0, 100] }
views:
  people_dp:
    tier: dp
    source: people
    columns: [pid, sex, income]
    contribution: { max_rows_per_unit: 2, max_groups_per_unit: 1 }
users:
  s: { name: S, roles: [steward] }
budgets:
  - { source: people, epsilon: '1', scope: experiment }
retention: { derived_artefacts_days: 1, audit_log_days: 1 }
export: { require_review_for_flagged: true, images: review, small_cell_threshold: 10 }
`);

const colRef = (...names: string[]) => ({
  class: 'COLUMN_REF',
  type: 'COLUMN_REF',
  alias: '',
  column_names: names,
});
const fn = (name: string, children: unknown[], alias = '') => ({
  class: 'FUNCTION',
  type: 'FUNCTION',
  alias,
  function_name: name,
  schema: '',
  children,
  filter: null,
  order_bys: { type: 'ORDER_MODIFIER', orders: [] },
  distinct: false,
  is_operator: false,
  export_state: false,
  catalog: '',
});
const select = (list: unknown[], table: string, groups: unknown[] = []) => ({
  error: false,
  statements: [
    {
      node: {
        type: 'SELECT_NODE',
        modifiers: [],
        cte_map: { map: [] },
        select_list: list,
        from_table: {
          type: 'BASE_TABLE',
          alias: '',
          sample: null,
          schema_name: '',
          table_name: table,
          column_name_alias: [],
          catalog_name: '',
          at_clause: null,
        },
        where_clause: null,
        group_expressions: groups,
        group_sets: groups.length > 0 ? [groups.map((_, i) => i)] : [],
        aggregate_handling: 'STANDARD_HANDLING',
        having: null,
        sample: null,
        qualify: null,
      },
    },
  ],
});
const refusal = (ast: unknown) => {
  try {
    analyzeDpSql(ast, policy);
  } catch (err) {
    if (err instanceof DpSqlError) return err.refusal.code;
    throw err;
  }
  return 'accepted';
};

describe('analyzeDpSql on JSON ASTs', () => {
  test('SELECT sex, count(*), avg(income) FROM people_dp GROUP BY sex', () => {
    const plan = analyzeDpSql(
      select(
        [colRef('sex'), fn('count_star', [], 'n'), fn('avg', [colRef('income')])],
        'people_dp',
        [colRef('sex')],
      ),
      policy,
    );
    assert.equal(plan.tables[0]?.source, 'people');
    assert.deepEqual(
      plan.keys.map((k) => [k.name, k.publicKeys]),
      [['sex', ['F', 'M']]],
    );
    assert.deepEqual(
      plan.aggregates.map((a) => [a.name, a.kind]),
      [
        ['n', 'count'],
        ['avg_income', 'avg'],
      ],
    );
    assert.equal(plan.maxRowsPerUnit, 2);
  });

  test('refusals: raw source, row-level select, unknown node shape, parser error', () => {
    assert.equal(refusal(select([fn('count_star', [])], 'people')), 'not_dp_view');
    assert.equal(refusal(select([colRef('income')], 'people_dp')), 'row_level');
    const odd = select([fn('count_star', [])], 'people_dp');
    (odd.statements[0]?.node as Record<string, unknown>)['new_clause'] = { x: 1 };
    assert.equal(
      refusal(odd),
      'unsupported_clause',
      'an AST key the analyzer does not know fails closed',
    );
    assert.equal(
      refusal({
        error: true,
        error_type: 'parser',
        error_message: 'syntax error at or near "FORM"',
      }),
      'parse_error',
    );
    assert.equal(refusal('not json'), 'parse_error');
  });

  test('a query too large to analyze is refused with a clear error, also with 200,000 IN values', () => {
    const constant = { class: 'CONSTANT', type: 'VALUE_CONSTANT', alias: '', value: 1 };
    const big = select(
      [fn('count_star', [fn('in_list', Array(200_000).fill(constant))])],
      'people_dp',
    );
    assert.equal(refusal(big), 'unsupported_expression');
  });
});
