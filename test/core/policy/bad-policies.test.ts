// The policy validation corpus: every fixture in test/fixtures/policies/ is valid.yaml with one
// defect (the two YAML syntax cases are inline edits, since prettier cannot parse them as files). Each must be rejected with the exact file:line:column of the defect, the key path, what
// is wrong and how to fix it — the messages a steward sees in the terminal and in the editor.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { parsePolicy, PolicyError, formatPolicyIssue, type PolicyIssue } from '@privet/core';

const DIR = new URL('../../fixtures/policies/', import.meta.url);

interface Case {
  line: number;
  column: number;
  path: string;
  /** What is wrong (matched against the message). */
  what: RegExp;
  /** How to fix it (matched against the fix). */
  fix: RegExp;
  /** Number of issues when one defect legitimately implies others (default 1). */
  count?: number;
  /** Inline defect [from, to] applied to valid.yaml, for YAML that prettier cannot parse. */
  edit?: [string, string];
}

// prettier-ignore
const CASES: Record<string, Case> = {
  'yaml-syntax': { line: 22, column: 66, path: 'views.people_masked.columns.birth_date.as_of', what: /YAML syntax error: Missing closing 'quote/, fix: /add the missing closing quote/, edit: ["as_of: '2026-01-01', width", "as_of: '2026-01-01, width"] },
  'tab-indent': { line: 6, column: 1, path: '', what: /Tabs are not allowed as indentation/, fix: /indent with spaces, not tabs/, edit: ['    path: people.csv', '\tpath: people.csv'] },
  'yaml-no-space-after-colon': { line: 33, column: 5, path: 'views.people_synthetic', what: /YAML syntax error: Implicit keys need to be on a single line/, fix: /^put a space after the colon: "epsilon: …"$/, edit: ['    epsilon: 1\n', '    epsilon:1\n'] },
  'yaml-missing-colon': { line: 33, column: 5, path: 'views.people_synthetic', what: /YAML syntax error/, fix: /^put a colon and a space after the key: "epsilon: …"$/, edit: ['    epsilon: 1\n', '    epsilon 1\n'] },
  'yaml-list-item-out-of-line': { line: 34, column: 1, path: 'views.people_synthetic', what: /YAML syntax error/, fix: /^line up the "-" of this list item with the other items/, edit: ['    columns: [zip, income, birth_date]\n', '    columns:\n      - zip\n     - income\n      - birth_date\n'] },
  'yaml-unclosed-flow': { line: 41, column: 45, path: 'users.ana.roles', what: /YAML syntax error: Flow sequence/, fix: /^close each "\[" with "\]" and each "\{" with "\}" on this line/, edit: ['roles: [analyst] }', 'roles: [analyst }'] },
  'yaml-flow-map-left-open': { line: 11, column: 14, path: 'sources.people.columns.email', what: /YAML syntax error: the "\{" opened on this line is never closed/, fix: /^add "\}" at the end of its value on this line/, edit: ['email: { type: string, identifier: true }', 'email: { type: string, identifier: true'] },
  'yaml-flow-map-left-open-before-section': { line: 14, column: 15, path: 'sources.people.columns.income', what: /the "\{" opened on this line is never closed/, fix: /^add "\}"/, edit: ['income: { type: integer, bounds: [0, 100000] }', 'income: { type: integer, bounds: [0, 100000]'] },
  'yaml-flow-sequence-left-open': { line: 32, column: 14, path: 'views.people_synthetic.columns', what: /the "\[" opened on this line is never closed/, fix: /^add "\]" at the end of its value/, edit: ['columns: [zip, income, birth_date]', 'columns: [zip, income, birth_date'] },
  'yaml-over-indented-key': { line: 7, column: 6, path: 'sources.people.format', what: /YAML syntax error/, fix: /^"format:" is indented more than "path:" on the line above: align it/, edit: ['    format: csv', '     format: csv'] },
  'yaml-under-indented-key': { line: 31, column: 3, path: 'views.source', what: /YAML syntax error/, fix: /^"source:" is indented differently from the lines around it: align it/, edit: ['    source: people\n    columns: [zip', '  source: people\n    columns: [zip'] },
  'yaml-colon-in-value': { line: 3, column: 7, path: 'name', what: /YAML syntax error/, fix: /^quote the value of "name": it contains ": "/, edit: ['name: fixture-clinic', 'name: fixture: clinic'] },
  'yaml-over-indented-sibling': { line: 35, column: 1, path: 'views', what: /All mapping items must start at the same column/, fix: /^align this key with its siblings/, edit: ['  people_dp:', '   people_dp:'] },
  'epsilon-nan': { line: 33, column: 14, path: 'views.people_synthetic.epsilon', what: /must be a number, not NaN \(\.nan\)/, fix: /epsilon: 1/, edit: ['    epsilon: 1\n', '    epsilon: .nan\n'] },
  'epsilon-infinite': { line: 33, column: 14, path: 'views.people_synthetic.epsilon', what: /must be a number, not infinity \(\.inf\)/, fix: /epsilon: 1/, edit: ['    epsilon: 1\n', '    epsilon: .inf\n'] },
  'multiple-documents': { line: 52, column: 1, path: '', what: /more than one YAML document/, fix: /remove the "---" line/ },
  'yaml-alias': { line: 42, column: 36, path: 'users.sam.roles', what: /alias \*r is not allowed/, fix: /write the value out in full/ },
  'duplicate-key': { line: 14, column: 7, path: 'sources.people.columns.email', what: /key "email" appears twice under sources\.people\.columns/, fix: /remove one of the two "email" entries/ },
  'not-a-mapping': { line: 1, column: 1, path: '', what: /must be a YAML mapping/, fix: /start with "version: 1"/ },
  'wrong-version': { line: 2, column: 10, path: 'version', what: /unsupported policy version 2/, fix: /version: 1/ },
  'unknown-top-level-key': { line: 4, column: 1, path: 'owner', what: /unknown key "owner"/, fix: /remove it or use one of: version, name, sources, views, users, budgets, publication_budgets, retention, export/ },
  'unknown-column-key': { line: 11, column: 30, path: 'sources.people.columns.email.identifer', what: /unknown key "identifer" \(did you mean "identifier"\?\)/, fix: /remove it or use one of: .*identifier/ },
  'unknown-format': { line: 7, column: 13, path: 'sources.people.format', what: /"xlsx" is not a valid value for "format"/, fix: /use one of: csv, parquet/ },
  'unknown-operator': { line: 21, column: 20, path: 'views.people_masked.columns.email.op', what: /unknown masking operator "hash"/, fix: /set op to one of: keep, drop, token, mask_email/ },
  'operator-not-text': { line: 21, column: 20, path: 'views.people_masked.columns.email.op', what: /op must be a name, not 5/, fix: /set op to one of: keep, drop/ },
  'unknown-tier': { line: 36, column: 11, path: 'views.people_dp.tier', what: /unknown tier "aggregate"/, fix: /set tier to one of: masked, synthetic, dp/ },
  'operator-wrong-type': { line: 24, column: 21, path: 'views.people_masked.columns.income.op', what: /operator prefix works on string columns, but "income" is integer/, fix: /pick an operator for integer columns: .*numeric_range/, count: 2 },
  'keep-identifier': { line: 21, column: 20, path: 'views.people_masked.columns.email.op', what: /"email" is a direct identifier and cannot be published as is/, fix: /token, a mask_\* operator, or drop/ },
  'view-unknown-source': { line: 18, column: 13, path: 'views.people_masked.source', what: /unknown source "persons" \(known: people\)/, fix: /name a source declared under sources/ },
  'missing-op': { line: 21, column: 7, path: 'views.people_masked.columns.email', what: /missing required key "op"/, fix: /add "op:" under views\.people_masked\.columns\.email \(a masking operator: keep, drop, token/ },
  'bounds-one-value': { line: 14, column: 40, path: 'sources.people.columns.income.bounds', what: /must have at least 2 entries; expected the public \[low, high\] range/, fix: /bounds: \[0, 100000\]/ },
  'version-as-text': { line: 2, column: 10, path: 'version', what: /must be a number, not "1"; .*reads version 1/, fix: /version: 1/ },
  'missing-view-source': { line: 29, column: 3, path: 'views.people_synthetic', what: /missing required key "source"/, fix: /add "source:" under views\.people_synthetic .*e\.g\. source: / },
  'masked-unknown-column': { line: 24, column: 7, path: 'views.people_masked.columns.phone', what: /unknown column "phone" in source "people" \(known: person_id, email, birth_date, zip, income\)/, fix: /fix the spelling or declare the column/ },
  'masked-inherited-name-column': { line: 25, column: 7, path: 'views.people_masked.columns.constructor', what: /unknown column "constructor" in source "people"/, fix: /fix the spelling or declare the column/, edit: ['      income: { op: numeric_range, width: 10000, bottom: 0, top: 200000 }', '      income: { op: numeric_range, width: 10000, bottom: 0, top: 200000 }\n      constructor: { op: keep }'] },
  'qi-inherited-name': { line: 27, column: 39, path: 'views.people_masked.k_anonymity.quasi_identifiers.1', what: /unknown column "constructor"/, fix: /name a column of the source/, edit: ['quasi_identifiers: [birth_date, zip]', 'quasi_identifiers: [birth_date, constructor]'], count: 2 },
  'qi-unknown-column': { line: 27, column: 39, path: 'views.people_masked.k_anonymity.quasi_identifiers.1', what: /unknown column "postcode"/, fix: /name a column of the source/, count: 2 },
  'qi-not-published': { line: 27, column: 39, path: 'views.people_masked.k_anonymity.quasi_identifiers.1', what: /quasi-identifier "zip" is not published/, fix: /remove it from quasi_identifiers or publish "zip"/ },
  'qi-tokenized': { line: 27, column: 39, path: 'views.people_masked.k_anonymity.quasi_identifiers.1', what: /quasi-identifier "zip" is tokenized/, fix: /generalize it .* or drop it/ },
  'generalized-not-qi-open-range': { line: 24, column: 7, path: 'views.people_masked.columns.income', what: /generalized column "income" \(numeric_range\) is not among k_anonymity\.quasi_identifiers, so no k check covers its rare values/, fix: /add "income" to k_anonymity\.quasi_identifiers, or set both bottom and top/, edit: ['income: { op: numeric_range, width: 10000, bottom: 0, top: 200000 }', 'income: { op: numeric_range, width: 10000, top: 200000 }'] },
  'generalized-prefix-not-qi': { line: 23, column: 7, path: 'views.people_masked.columns.zip', what: /generalized column "zip" \(prefix\) is not among k_anonymity\.quasi_identifiers/, fix: /^add "zip" to k_anonymity\.quasi_identifiers$/, edit: ['quasi_identifiers: [birth_date, zip]', 'quasi_identifiers: [birth_date]'] },
  'missing-k-anonymity': { line: 16, column: 3, path: 'views.people_masked', what: /generalized columns must declare k_anonymity/, fix: /add k_anonymity: \{ k: 5, / },
  'all-columns-dropped': { line: 19, column: 5, path: 'views.people_masked.columns', what: /every column is dropped/, fix: /publish at least one column/ },
  'numeric-range-inverted': { line: 24, column: 58, path: 'views.people_masked.columns.income.bottom', what: /bottom \(50000\) must be below top \(0\)/, fix: /bottom < top/ },
  'date-trunc-week': { line: 22, column: 41, path: 'views.people_masked.columns.birth_date.to', what: /"week" is not a valid value for "to"/, fix: /use one of: year, month/ },
  'as-of-not-a-date': { line: 22, column: 42, path: 'views.people_masked.columns.birth_date.as_of', what: /"01\/01\/2026" is not a calendar date written YYYY-MM-DD/, fix: /as_of: '2026-01-01'/ },
  'as-of-impossible-date': { line: 22, column: 42, path: 'views.people_masked.columns.birth_date.as_of', what: /"2026-13-01" is not a calendar date/, fix: /as_of: '2026-01-01'/ },
  'k-too-small': { line: 26, column: 10, path: 'views.people_masked.k_anonymity.k', what: /must be at least 2, not 1/, fix: /k: 5/ },
  'k-not-integer': { line: 26, column: 10, path: 'views.people_masked.k_anonymity.k', what: /must be a whole number, not "five"/, fix: /k: 5/ },
  'suppression-over-one': { line: 28, column: 32, path: 'views.people_masked.k_anonymity.max_suppressed_fraction', what: /must be at most 1, not 1\.5; expected .*from 0 to 1/, fix: /max_suppressed_fraction: 0\.05/ },
  'privacy-unit-undeclared': { line: 8, column: 19, path: 'sources.people.privacy_unit', what: /privacy unit column "patient_id" is not declared in columns/, fix: /name one of the declared columns \(person_id, /, count: 2 },
  'privacy-unit-missing': { line: 5, column: 3, path: 'sources.people', what: /missing required key "privacy_unit"/, fix: /add "privacy_unit:" under sources\.people/ },
  'bounds-on-string': { line: 13, column: 28, path: 'sources.people.columns.zip.bounds', what: /bounds are only for numeric columns, but "zip" is string/, fix: /remove bounds, or change the type/ },
  'years-on-string': { line: 13, column: 28, path: 'sources.people.columns.zip.years', what: /years are only for date columns, but "zip" is string/, fix: /remove years, or change the type to date/ },
  'years-inverted': { line: 12, column: 40, path: 'sources.people.columns.birth_date.years', what: /the first year 2020 is after the last year 1990/, fix: /\[first, last\] with first ≤ last/ },
  'categories-on-date': { line: 12, column: 33, path: 'sources.people.columns.birth_date.categories', what: /categories are not for date columns \("birth_date" is a date\)/, fix: /declare the public years instead, e\.g\. years: \[1926, 2025\]/ },
  'years-too-many': { line: 12, column: 40, path: 'sources.people.columns.birth_date.years', what: /years span 1001 years; at most 500 are allowed/, fix: /narrow the range/, edit: ['      birth_date: { type: date }', '      birth_date: { type: date, years: [1000, 2000] }'] },
  'bounds-inverted': { line: 14, column: 40, path: 'sources.people.columns.income.bounds', what: /lower bound 100000 must be below upper bound 0/, fix: /\[low, high\] with low < high/ },
  'empty-source-columns': { line: 9, column: 14, path: 'sources.people.columns', what: /must list at least one column, but is empty/, fix: /add at least one column/ },
  'empty-view-columns': { line: 38, column: 14, path: 'views.people_dp.columns', what: /must list at least one column, but is empty/, fix: /add at least one column/ },
  'uppercase-column-name': { line: 13, column: 7, path: 'sources.people.columns.Zip', what: /"Zip" is not a valid name: names are lower_snake_case/, fix: /rename it, e\.g\. to "zip"/ },
  'uppercase-view-name': { line: 35, column: 3, path: 'views.People_DP', what: /"People_DP" is not a valid name/, fix: /rename it, e\.g\. to "people_dp"/ },
  'view-named-like-source': { line: 35, column: 3, path: 'views.people', what: /view "people" has the same name as a raw source/, fix: /rename the view/ },
  'keep-privacy-unit': { line: 20, column: 24, path: 'views.people_masked.columns.person_id.op', what: /"person_id" is a direct identifier \(the privacy unit\) and cannot be published as is/, fix: /token, a mask_\* operator, or drop/ },
  'prefix-on-identifier': { line: 21, column: 20, path: 'views.people_masked.columns.email.op', what: /"email" is a direct identifier, and prefix publishes part of its value unmasked/, fix: /token, a mask_\* operator, or drop/, edit: ['      email: { op: mask_email }', '      email: { op: prefix, keep: 10 }'], count: 2 },
  'identifier-in-dp-view': { line: 38, column: 26, path: 'views.people_dp.columns.1', what: /"email" is a direct identifier and cannot be part of a dp view/, fix: /remove it from columns/ },
  'public-keys-unknown-column': { line: 41, column: 7, path: 'views.people_dp.public_keys.sex', what: /public keys given for "sex", which is not a column of this view/, fix: /list the column under columns or remove its keys/ },
  'public-keys-bad-name': { line: 41, column: 7, path: 'views.people_dp.public_keys.Zip', what: /"Zip" is not a valid name/, fix: /rename it/ },
  'synthetic-target-not-column': { line: 35, column: 13, path: 'views.people_synthetic.target', what: /target "email" is not one of the view's columns/, fix: /name one of: zip, income, birth_date/ },
  'synthetic-prefix-on-number': { line: 33, column: 15, path: 'views.people_synthetic.prefix.income', what: /prefix works on string columns, but "income" is integer/, fix: /numeric columns are binned by their bounds/, edit: ['    epsilon: 1\n', '    prefix: { income: 3 }\n    epsilon: 1\n'] },
  'synthetic-prefix-on-date': { line: 33, column: 15, path: 'views.people_synthetic.prefix.birth_date', what: /prefix works on string columns, but "birth_date" is date/, fix: /dates are synthesized by year already/, edit: ['    epsilon: 1\n', '    prefix: { birth_date: 4 }\n    epsilon: 1\n'] },
  'synthetic-prefix-not-column': { line: 33, column: 15, path: 'views.people_synthetic.prefix.email', what: /prefix given for "email", which is not a column of this view/, fix: /list "email" under columns or remove its prefix/, edit: ['    epsilon: 1\n', '    prefix: { email: 3 }\n    epsilon: 1\n'] },
  'synthetic-prefix-misspelled': { line: 33, column: 15, path: 'views.people_synthetic.prefix.zipp', what: /prefix given for "zipp", which is not a column of this view \(did you mean "zip"\?\)/, fix: /columns: zip, income, birth_date/, edit: ['    epsilon: 1\n', '    prefix: { zipp: 3 }\n    epsilon: 1\n'] },
  'synthetic-prefix-not-mapping': { line: 33, column: 13, path: 'views.people_synthetic.prefix', what: /must be a mapping of keys to values, not 3; expected string columns to synthesize as their first N characters/, fix: /prefix: \{ zip: 3 \}/, edit: ['    epsilon: 1\n', '    prefix: 3\n    epsilon: 1\n'] },
  'synthetic-prefix-zero': { line: 33, column: 20, path: 'views.people_synthetic.prefix.zip', what: /must be at least 1, not 0/, fix: /use a value at least 1/, edit: ['    epsilon: 1\n', '    prefix: { zip: 0 }\n    epsilon: 1\n'] },
  'synthetic-epsilon-zero': { line: 33, column: 14, path: 'views.people_synthetic.epsilon', what: /must be greater than 0, not 0/, fix: /epsilon: 1/ },
  'synthetic-delta-one': { line: 34, column: 12, path: 'views.people_synthetic.delta', what: /must be less than 1, not 1; expected a number greater than 0 and less than 1/, fix: /^write e\.g\. delta: 1\.0e-6$/ },
  'bad-role': { line: 41, column: 37, path: 'users.ana.roles.0', what: /"admin" is not a valid role/, fix: /use one of: analyst, reviewer, steward/ },
  'role-listed-twice': { line: 41, column: 46, path: 'users.ana.roles.1', what: /lists "analyst" twice/, fix: /remove the repeated entry/ },
  'missing-steward': { line: 40, column: 1, path: 'users', what: /no user has the steward role/, fix: /give at least one user the steward role/ },
  'budget-unknown-source': { line: 44, column: 15, path: 'budgets.0.source', what: /budget for unknown source "peeple" \(did you mean "people"\?\)/, fix: /name a source declared under sources/, count: 2 },
  'dp-view-without-budget': { line: 36, column: 11, path: 'views.people_dp.tier', what: /dp view "people_dp" spends privacy budget but source "people" has no budget/, fix: /add a budgets entry, e\.g\. - \{ source: people/ },
  'synthetic-without-publication-budget': { line: 30, column: 11, path: 'views.people_synthetic.tier', what: /synthetic view "people_synthetic" is generated with DP but source "people" has no publication budget/, fix: /add a publication_budgets entry, e\.g\. - \{ source: people/ },
  'epsilon-zero': { line: 44, column: 32, path: 'budgets.0.epsilon', what: /epsilon must be greater than 0, not "0"/, fix: /epsilon: '1\.0'/ },
  'epsilon-negative': { line: 44, column: 32, path: 'budgets.0.epsilon', what: /must be greater than 0, not -2/, fix: /epsilon: 1/ },
  'budget-delta-text': { line: 44, column: 46, path: 'budgets.0.delta', what: /"tiny" has the wrong form; expected a probability/, fix: /delta: '1e-6'/ },
  'bad-scope': { line: 44, column: 61, path: 'budgets.0.scope', what: /"forever" is not a valid value for "scope"/, fix: /use one of: experiment, experiment_user/ },
  'per-query-epsilon-above-budget': { line: 44, column: 92, path: 'budgets.0.max_query_epsilon', what: /max_query_epsilon 1\.5 is above the budget's epsilon 1, so it would never limit a query/, fix: /lower it to at most 1, or leave it out/, edit: ["scope: experiment }", "scope: experiment, max_query_epsilon: '1.5' }"] },
  'per-query-epsilon-zero': { line: 44, column: 92, path: 'budgets.0.max_query_epsilon', what: /max_query_epsilon must be greater than 0, not "0"/, fix: /max_query_epsilon: '0\.5'/, edit: ["scope: experiment }", "scope: experiment, max_query_epsilon: '0' }"] },
  'per-query-delta-above-budget': { line: 44, column: 90, path: 'budgets.0.max_query_delta', what: /max_query_delta 0\.00001 is above the budget's delta 0\.000001, so it would never limit a query/, fix: /lower it to at most/, edit: ["scope: experiment }", "scope: experiment, max_query_delta: '1e-5' }"] },
  'per-query-delta-without-delta': { line: 44, column: 75, path: 'budgets.0.max_query_delta', what: /the budget has no delta, so no query may spend any δ/, fix: /give the budget a delta .* or leave max_query_delta out/, edit: ["delta: '1e-6', scope: experiment }", "scope: experiment, max_query_delta: '1e-9' }"] },
};

const VALID = readFileSync(new URL('valid.yaml', DIR), 'utf8');

function issuesOf(name: string, edit?: [string, string]): PolicyIssue[] {
  if (edit) assert.equal(VALID.split(edit[0]).length, 2, `${name}: the edit must match once`);
  const text = edit
    ? VALID.replace(edit[0], edit[1])
    : readFileSync(new URL(`${name}.yaml`, DIR), 'utf8');
  try {
    parsePolicy(text, `${name}.yaml`);
  } catch (error) {
    assert.ok(
      error instanceof PolicyError,
      `${name}: threw ${String(error)} instead of a PolicyError`,
    );
    return [...error.issues];
  }
  assert.fail(`${name}.yaml was accepted, but it has a defect`);
}

describe('bad policies are rejected with file:line:column, what is wrong and how to fix it', () => {
  test('the base fixture is valid, so each fixture fails only for its own defect', () => {
    const policy = parsePolicy(VALID, 'valid.yaml');
    assert.deepEqual(Object.keys(policy.views), ['people_masked', 'people_synthetic', 'people_dp']);
  });

  test('per-query limits within the budget are accepted', () => {
    const text = VALID.replace(
      'scope: experiment }',
      "scope: experiment, max_query_epsilon: '1.0', max_query_delta: 1e-8 }",
    );
    const [budget] = parsePolicy(text, 'valid.yaml').budgets;
    assert.deepEqual([budget?.max_query_epsilon, budget?.max_query_delta], ['1.0', 1e-8]);
  });

  test('every fixture file has a case (and every case a file)', () => {
    const files = readdirSync(DIR)
      .filter((f) => f.endsWith('.yaml') && f !== 'valid.yaml')
      .map((f) => f.slice(0, -'.yaml'.length))
      .sort();
    const withFiles = Object.entries(CASES).filter(([, c]) => !c.edit);
    assert.deepEqual(files, withFiles.map(([name]) => name).sort());
    assert.ok(files.length >= 25);
  });

  for (const [name, c] of Object.entries(CASES)) {
    test(name, () => {
      const issues = issuesOf(name, c.edit);
      assert.equal(issues.length, c.count ?? 1, issues.map(formatPolicyIssue).join('\n'));
      const [first] = issues;
      assert.ok(first);
      assert.deepEqual(first.position, { file: `${name}.yaml`, line: c.line, column: c.column });
      assert.equal(first.path, c.path);
      assert.match(first.message, c.what);
      assert.match(first.fix, c.fix);
      const where = c.path === '' ? '' : `${c.path}: `;
      assert.ok(
        formatPolicyIssue(first).startsWith(`${name}.yaml:${c.line}:${c.column}: ${where}`),
        formatPolicyIssue(first),
      );
      for (const issue of issues) {
        assert.match(formatPolicyIssue(issue), /^[\w.-]+\.yaml:\d+:\d+: .+\. Fix: .+$/);
        assert.doesNotMatch(issue.fix, /see the policy schema|^$/);
        assert.doesNotMatch(issue.message, /must match|anyOf|oneOf|must NOT/);
      }
    });
  }
});
