// Second line of defence behind policy loading: a policy object whose public key list names one
// group twice (or holds a value the column cannot) never reaches a release — the DP query
// planner refuses the GROUP BY instead of releasing the group several times with fresh noise.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parsePolicy, type DpView, type Policy } from '@privet/core';
import { analyzeDpSql } from '@privet/core/dpsql/analyze';
import { DpSqlError } from '@privet/core/dpsql/errors';
import { VALID } from './issues.js';

const colRef = (name: string) => ({
  class: 'COLUMN_REF',
  type: 'COLUMN_REF',
  alias: '',
  column_names: [name],
});
const countStar = {
  class: 'FUNCTION',
  type: 'FUNCTION',
  alias: 'n',
  function_name: 'count_star',
  schema: '',
  children: [],
  filter: null,
  order_bys: { type: 'ORDER_MODIFIER', orders: [] },
  distinct: false,
  is_operator: false,
  export_state: false,
  catalog: '',
};
/** DuckDB's JSON AST of `SELECT <column>, count(*) AS n FROM people_dp GROUP BY <column>`. */
const groupBy = (column: string) => ({
  error: false,
  statements: [
    {
      node: {
        type: 'SELECT_NODE',
        modifiers: [],
        cte_map: { map: [] },
        select_list: [colRef(column), countStar],
        from_table: {
          type: 'BASE_TABLE',
          alias: '',
          sample: null,
          schema_name: '',
          table_name: 'people_dp',
          column_name_alias: [],
          catalog_name: '',
          at_clause: null,
        },
        where_clause: null,
        group_expressions: [colRef(column)],
        group_sets: [[0]],
        aggregate_handling: 'STANDARD_HANDLING',
        having: null,
        sample: null,
        qualify: null,
      },
    },
  ],
});

/** The valid policy with `keys` as the dp view's public keys, set after loading. */
function withKeys(keys: Record<string, (string | number)[]>): Policy {
  const policy = parsePolicy(VALID);
  (policy.views.people_dp as DpView).public_keys = keys;
  return policy;
}

function refusal(policy: Policy, column: string): DpSqlError {
  try {
    analyzeDpSql(groupBy(column), policy);
  } catch (error) {
    assert.ok(error instanceof DpSqlError, String(error));
    return error;
  }
  assert.fail('the query was planned');
}

describe('declared public keys reach the planner once each', () => {
  test('distinct keys are planned as declared', () => {
    const plan = analyzeDpSql(groupBy('income'), withKeys({ income: [1, '2'] }));
    assert.deepEqual(plan.keys[0]?.publicKeys, [1, 2]);
  });

  test('a key listed twice, or twice once converted, is refused', () => {
    for (const [column, keys] of [
      ['zip', ['a', 'b', 'a']],
      ['income', [1, '1']],
      ['zip', [7, '7']],
    ] as const) {
      const error = refusal(withKeys({ [column]: [...keys] }), column);
      assert.equal(error.refusal.code, 'bad_group_by');
      assert.match(
        error.refusal.message,
        new RegExp(`public keys of "${column}" list a value twice`),
      );
      assert.match(error.refusal.fix, /ask a steward to list each public key/);
      // The refusal never echoes the values.
      assert.doesNotMatch(error.refusal.message, /"a"|'1'|"7"/);
    }
  });

  test('a key that is not a number on a numeric column is refused', () => {
    const error = refusal(withKeys({ income: ['abc', 20000] }), 'income');
    assert.equal(error.refusal.code, 'bad_group_by');
    assert.match(error.refusal.message, /a value that is not an integer/);
  });
});
