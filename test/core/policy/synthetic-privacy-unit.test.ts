/**
 * The privacy unit cannot be a column of a synthetic view, whatever its type: each real id would
 * be a category of true count 1 in DP domain discovery, which releases it with probability up to
 * δ₀, and no made-up person has a real id to show. DP views still count it.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parsePolicy, PolicyError, formatPolicyIssue, type PolicyIssue } from '@privet/core';

const VALID = readFileSync(new URL('../../fixtures/policies/valid.yaml', import.meta.url), 'utf8');

/** valid.yaml with each [from, to] applied once. */
function edited(...edits: [string, string][]): string {
  return edits.reduce((text, [from, to]) => {
    assert.equal(text.split(from).length, 2, `the edit of ${JSON.stringify(from)} matches once`);
    return text.replace(from, to);
  }, VALID);
}

function issuesOf(text: string): PolicyIssue[] {
  try {
    parsePolicy(text, 'policy.yaml');
  } catch (error) {
    assert.ok(error instanceof PolicyError, `threw ${String(error)} instead of a PolicyError`);
    return [...error.issues];
  }
  assert.fail('the policy was accepted, but its synthetic view lists the privacy unit');
}

const SYNTH_COLUMNS = '    columns: [zip, income, birth_date]\n';

describe('the privacy unit is refused in synthetic views', () => {
  test('a numeric identifier unit: error at columns.<i> with its line and column', () => {
    const issues = issuesOf(
      edited([SYNTH_COLUMNS, '    columns: [zip, person_id, income, birth_date]\n']),
    );
    assert.equal(issues.length, 1, issues.map(formatPolicyIssue).join('\n'));
    const [issue] = issues;
    assert.equal(issue!.path, 'views.people_synthetic.columns.1');
    assert.deepEqual(issue!.position, { file: 'policy.yaml', line: 32, column: 20 });
    assert.equal(
      issue!.message,
      '"person_id" is the privacy unit of source "people" and cannot be a column of a synthetic view',
    );
    assert.equal(
      issue!.fix,
      'remove it from columns: every synthetic row stands for a made-up person',
    );
    assert.ok(
      formatPolicyIssue(issue!).startsWith('policy.yaml:32:20: views.people_synthetic.columns.1: '),
      formatPolicyIssue(issue!),
    );
  });

  test('a text unit not marked identifier is refused just the same', () => {
    const issues = issuesOf(
      edited(
        [
          '      person_id: { type: integer, identifier: true }',
          '      person_id: { type: string }',
        ],
        [SYNTH_COLUMNS, '    columns: [person_id, zip, income, birth_date]\n'],
      ),
    );
    assert.equal(issues.length, 1, issues.map(formatPolicyIssue).join('\n'));
    assert.equal(issues[0]!.path, 'views.people_synthetic.columns.0');
    assert.deepEqual(issues[0]!.position, { file: 'policy.yaml', line: 32, column: 15 });
    assert.match(issues[0]!.message, /"person_id" is the privacy unit of source "people"/);
  });

  test('another identifier in a synthetic view is refused without suggesting the unit', () => {
    const [issue, ...rest] = issuesOf(
      edited([SYNTH_COLUMNS, '    columns: [zip, income, birth_date, email]\n']),
    );
    assert.equal(rest.length, 0);
    assert.equal(issue!.path, 'views.people_synthetic.columns.3');
    assert.match(
      issue!.message,
      /"email" is a direct identifier and cannot be part of a synthetic view/,
    );
    assert.doesNotMatch(issue!.fix, /privacy unit/);
  });

  test('a dp view may still list the privacy unit (valid.yaml does)', () => {
    const policy = parsePolicy(VALID, 'valid.yaml');
    const dp = policy.views['people_dp'];
    assert.ok(dp?.tier === 'dp' && dp.columns.includes('person_id'));
  });
});
