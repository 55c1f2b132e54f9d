// Entries the gateway would apply once (or not at all) are refused when the policy loads: a second
// budget for one source (only the first was enforced, while the UI listed both), and public key
// lists (`categories`, `public_keys`) that name one group twice — each copy would be released
// with fresh noise for the price of one — or hold a value the column cannot.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parsePolicy } from '@privet/core';
import { edited, issuesOf, lineOf } from './issues.js';

const BUDGET = "  - { source: people, epsilon: '1.0', delta: '1e-6', scope: experiment }\n";
const PUBLICATION = "  - { source: people, epsilon: '2.0', delta: '1e-6' }\n";

describe('one budget per source', () => {
  test('a second budgets entry for a source is refused at its own line, whatever its scope', () => {
    for (const scope of ['experiment', 'experiment_user']) {
      const text = edited([
        BUDGET,
        `${BUDGET}  - { source: people, epsilon: '0.2', scope: ${scope} }\n`,
      ]);
      const issues = issuesOf(text);
      assert.equal(issues.length, 1, issues.map((i) => i.message).join('\n'));
      const [issue] = issues;
      assert.equal(issue!.path, 'budgets.1.source');
      assert.deepEqual(issue!.position, {
        file: 'p.yaml',
        line: lineOf(text, "epsilon: '0.2'"),
        column: 15,
      });
      assert.match(issue!.message, /source "people" already has an entry in budgets \(entry 1\)/);
      assert.match(issue!.message, /only one budget per source is enforced/);
      assert.match(issue!.fix, /^keep one entry per source/);
    }
  });

  test('a second publication_budgets entry for a source is refused too', () => {
    const text = edited([PUBLICATION, `${PUBLICATION}  - { source: people, epsilon: '9.0' }\n`]);
    const [issue, ...rest] = issuesOf(text);
    assert.equal(rest.length, 0);
    assert.equal(issue!.path, 'publication_budgets.1.source');
    assert.equal(issue!.position.line, lineOf(text, "epsilon: '9.0'"));
    assert.match(issue!.message, /only one publication budget per source is enforced/);
    assert.match(issue!.fix, /^keep one entry per source/);
  });

  test('budgets of different sources are still fine', () => {
    const text = edited(
      [
        '      income: { type: integer, bounds: [0, 100000] }\n',
        '      income: { type: integer, bounds: [0, 100000] }\n  visits:\n    path: v.csv\n    format: csv\n    privacy_unit: person_id\n    columns:\n      person_id: { type: integer }\n',
      ],
      [BUDGET, `${BUDGET}  - { source: visits, epsilon: '1.0', scope: experiment_user }\n`],
    );
    assert.equal(parsePolicy(text).budgets.length, 2);
  });
});

const DP_COLUMNS = '    columns: [person_id, zip, income]\n';
/** VALID with public keys for the dp view's `column`. */
const withKeys = (column: string, keys: string): string =>
  edited([DP_COLUMNS, `${DP_COLUMNS}    public_keys:\n      ${column}: ${keys}\n`]);

describe('public key lists name each group once, as a value of the column', () => {
  test('the same value twice is refused (at the second)', () => {
    const text = withKeys('zip', '[a, b, a]');
    const [issue, ...rest] = issuesOf(text);
    assert.equal(rest.length, 0);
    assert.equal(issue!.path, 'views.people_dp.public_keys.zip.2');
    assert.deepEqual(issue!.position, {
      file: 'p.yaml',
      line: lineOf(text, 'zip: [a'),
      column: 19,
    });
    assert.match(issue!.fix, /remove the repeated entry/);
  });

  test("1 and '1' are one group of an integer column", () => {
    const text = withKeys('income', "[1, 2, '1', '0002']");
    const issues = issuesOf(text);
    assert.deepEqual(
      issues.map((i) => i.path),
      ['views.people_dp.public_keys.income.2', 'views.people_dp.public_keys.income.3'],
    );
    assert.match(issues[0]!.message, /repeats "1", the same integer value as 1 \(entry 1\)/);
    assert.match(issues[0]!.message, /released more than once/);
    assert.match(issues[1]!.message, /repeats "0002", the same integer value as 2 \(entry 2\)/);
    assert.equal(issues[0]!.position.line, lineOf(text, 'income: [1'));
  });

  test('a key the column cannot hold is refused', () => {
    const cases: [string, string, RegExp, RegExp][] = [
      [
        'income',
        '[abc, 20000]',
        /"abc" is not a whole number, but "income" is an integer column/,
        /whole numbers/,
      ],
      ['income', "['1.5']", /"1.5" is not a whole number/, /whole numbers/],
      ['income', "['']", /"" is not a whole number/, /whole numbers/],
      ['income', "['0x10']", /"0x10" is not a whole number/, /whole numbers/],
      ['zip', '[02134]', /2134 is a number, but "zip" is a string column/, /in quotes/],
    ];
    for (const [column, keys, what, fix] of cases) {
      const text = withKeys(column, keys);
      const issues = issuesOf(text);
      assert.equal(issues.length, 1, `${keys}: ${issues.map((i) => i.message).join('\n')}`);
      assert.match(issues[0]!.message, what, keys);
      assert.match(issues[0]!.fix, fix, keys);
      assert.equal(issues[0]!.path, `views.people_dp.public_keys.${column}.0`);
      assert.equal(issues[0]!.position.line, lineOf(text, `${column}: [`));
    }
  });

  test('source categories follow the same rules', () => {
    const zip = '      zip: { type: string }\n';
    const income = '      income: { type: integer, bounds: [0, 100000] }\n';
    let issues = issuesOf(
      edited([zip, "      zip: { type: string, categories: ['02134', x, '02134'] }\n"]),
    );
    assert.deepEqual(
      issues.map((i) => i.path),
      ['sources.people.columns.zip.categories.2'],
    );
    issues = issuesOf(
      edited([
        income,
        "      income: { type: integer, bounds: [0, 100000], categories: [7, '07'] }\n",
      ]),
    );
    assert.deepEqual(
      issues.map((i) => i.path),
      ['sources.people.columns.income.categories.1'],
    );
    assert.match(issues[0]!.message, /repeats "07", the same integer value as 7/);
    issues = issuesOf(
      edited([zip, `${zip}      smoker: { type: boolean, categories: [yes, no] }\n`]),
    );
    assert.equal(issues[0]!.path, 'sources.people.columns.smoker.categories.0');
    assert.match(issues[0]!.message, /"yes" is not 'true' or 'false'/);
  });

  test('well-typed lists of distinct values load', () => {
    assert.deepEqual(parsePolicy(withKeys('income', "[0, 1, '2', -3]")).views.people_dp, {
      tier: 'dp',
      source: 'people',
      columns: ['person_id', 'zip', 'income'],
      public_keys: { income: [0, 1, '2', -3] },
      contribution: { max_rows_per_unit: 1, max_groups_per_unit: 1 },
    });
    parsePolicy(withKeys('zip', "['02134', '1', a]"));
    parsePolicy(
      edited([
        '      income: { type: integer, bounds: [0, 100000] }\n',
        "      income: { type: number, bounds: [0, 100000], categories: [1, '1.5', '2e3'] }\n",
      ]),
    );
  });
});
