// A dp view may declare `response_time_ms`: the time step its real DP queries are answered on
// (core/src/dp/PRIVACY.md §8). The policy accepts a whole number of 10 to 30000 ms on a dp view
// only, and any other value is refused at its file:line:column with what is wrong and an example.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { formatPolicyIssue, parsePolicy, policyJsonSchema } from '@privet/core';
import { edited, issuesOf, lineOf } from './issues.js';

const DP_LIMITS = '    contribution: { max_rows_per_unit: 1, max_groups_per_unit: 1 }\n';

/** The valid fixture with `response_time_ms: <value>` added to its dp view. */
const withStep = (value: string): string =>
  edited([DP_LIMITS, `${DP_LIMITS}    response_time_ms: ${value}\n`]);

describe('response_time_ms of a dp view', () => {
  test('a whole number of milliseconds in range is accepted and kept', () => {
    for (const ms of [10, 1000, 30000]) {
      const policy = parsePolicy(withStep(String(ms)), 'p.yaml');
      const view = policy.views['people_dp'];
      assert.equal(view?.tier, 'dp');
      assert.equal(view.tier === 'dp' ? view.response_time_ms : undefined, ms);
    }
  });

  test('values out of range or not whole are refused at their line, with an example', () => {
    const cases: [string, RegExp][] = [
      ['5', /^must be at least 10, not 5; expected a whole number of milliseconds/],
      ['60000', /^must be at most 30000, not 60000; expected a whole number of milliseconds/],
      ['0', /^must be at least 10, not 0/],
      ['1.5', /^must be a whole number, not 1\.5; expected a whole number of milliseconds/],
      ["'1000'", /^must be a whole number, not "1000"/],
    ];
    for (const [value, what] of cases) {
      const text = withStep(value);
      const issues = issuesOf(text);
      assert.equal(issues.length, 1, `${value}: ${issues.map(formatPolicyIssue).join('\n')}`);
      const [issue] = issues;
      assert.equal(issue!.path, 'views.people_dp.response_time_ms', value);
      assert.equal(issue!.position.line, lineOf(text, 'response_time_ms:'), value);
      assert.equal(issue!.position.column, 23, value); // the value, after "    response_time_ms: "
      assert.match(issue!.message, what, value);
      assert.match(issue!.fix, /^write e\.g\. response_time_ms: 1000$/, value);
      assert.match(formatPolicyIssue(issue!), /^p\.yaml:\d+:23: /);
    }
  });

  test('it belongs to dp views only: on a synthetic view it is an unknown key', () => {
    const text = edited(['    epsilon: 1\n', '    epsilon: 1\n    response_time_ms: 1000\n']);
    const [issue, ...more] = issuesOf(text);
    assert.equal(more.length, 0);
    assert.equal(issue!.path, 'views.people_synthetic.response_time_ms');
    assert.equal(issue!.position.line, lineOf(text, 'response_time_ms:'));
    assert.match(issue!.message, /unknown key "response_time_ms"/);
  });

  test('the editors’ schema describes it with an example', () => {
    const views = (policyJsonSchema() as { properties: { views: object } }).properties.views;
    const text = JSON.stringify(views);
    assert.match(
      text,
      /"response_time_ms":\{[^}]*"description":"A whole number of milliseconds from 10 to 30000: every real DP query reading the view is answered[^"]*\. Example: response_time_ms: 1000"/,
    );
  });
});
