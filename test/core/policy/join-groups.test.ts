/**
 * Join groups (core/src/policy/join-groups.ts): tokens hash a value as text, so the columns of one
 * join group must be declared with one type — an integer 42 and a number 42.0 would get different
 * tokens, and the join the policy declares would silently match nothing.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parsePolicy } from '@privet/core';
import { edited, issuesOf, lineOf } from './issues.js';

/** VALID with a visits source (its person_ref of `type`) and a masked view joined to people's. */
function withVisits(type: string, group = 'person'): string {
  return edited(
    ['      person_id: { op: token }\n', '      person_id: { op: token, join_group: person }\n'],
    [
      'views:\n',
      `  visits:\n    path: visits.csv\n    format: csv\n    privacy_unit: person_ref\n    columns:\n      person_ref: { type: ${type}, identifier: true }\n      ward: { type: string }\nviews:\n  visits_masked:\n    tier: masked\n    source: visits\n    columns:\n      person_ref: { op: token, join_group: ${group} }\n      ward: { op: keep }\n`,
    ],
  );
}

describe('join groups', () => {
  it('refuses columns of one join group declared with different types, at the join_group key', () => {
    const text = withVisits('number');
    const issues = issuesOf(text);
    assert.equal(issues.length, 1, JSON.stringify(issues));
    const [issue] = issues;
    assert.match(
      issue!.message,
      /join group "person" joins people_masked\.person_id \(integer\) with visits_masked\.person_ref \(number\)/,
    );
    assert.match(issue!.fix, /one type/);
    assert.equal(issue!.path, 'views.people_masked.columns.person_id.join_group');
    assert.equal(
      issue!.position.line,
      lineOf(text, 'person_id: { op: token, join_group: person }'),
    );
  });

  it('accepts one type, and different types in separate groups', () => {
    assert.doesNotThrow(() => parsePolicy(withVisits('integer'), 'p.yaml'));
    assert.doesNotThrow(() => parsePolicy(withVisits('number', 'visit_person'), 'p.yaml'));
  });
});
