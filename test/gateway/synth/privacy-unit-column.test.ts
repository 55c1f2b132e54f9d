/**
 * A synthetic view built from a policy object (never through the policy check) still refuses the
 * privacy unit as a column, numeric or text: real ids must not reach DP domain discovery.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Policy, SyntheticView } from '@privet/core';
import { PublishError } from '../../../gateway/src/publish/errors.js';
import { syntheticColumns } from '../../../gateway/src/publish/synthetic-columns.js';
import { fixturePolicy, policyText } from './fixture.js';

/** The fixture policy with `person_id` typed `unitType` and listed first in the synthetic view. */
function withUnitListed(unitType: 'integer' | 'string'): { policy: Policy; view: SyntheticView } {
  const text = policyText({ publication: '5' }).replace(
    'person_id: { type: integer, identifier: true }',
    unitType === 'integer'
      ? 'person_id: { type: integer, identifier: true }'
      : 'person_id: { type: string }',
  );
  const policy = fixturePolicy(text);
  const declared = policy.views['people_synth'] as SyntheticView;
  const view: SyntheticView = { ...declared, columns: ['person_id', ...declared.columns] };
  return { policy: { ...policy, views: { ...policy.views, people_synth: view } }, view };
}

describe('synthetic view columns refuse the privacy unit', () => {
  for (const unitType of ['integer', 'string'] as const) {
    test(`${unitType === 'integer' ? 'an integer' : 'a text'} privacy unit is refused with a PublishError naming view, column and fix`, () => {
      const { policy, view } = withUnitListed(unitType);
      assert.throws(
        () => syntheticColumns(policy, 'people_synth', view),
        (e: unknown) => {
          assert.ok(e instanceof PublishError, `threw ${String(e)}`);
          assert.equal(e.view, 'people_synth');
          assert.equal(
            e.what,
            'column "person_id" is the privacy unit of source "people" and cannot be a column of a synthetic view',
          );
          assert.match(e.fix, /^remove "person_id" from views\.people_synth\.columns/);
          assert.match(e.message, /^view "people_synth": .+\. Fix: .+$/);
          return true;
        },
      );
    });
  }

  test('the fixture view without the unit resolves every column', () => {
    const policy = fixturePolicy(policyText({ publication: '5' }));
    const view = policy.views['people_synth'] as SyntheticView;
    assert.deepEqual(
      syntheticColumns(policy, 'people_synth', view).map((c) => c.column.spec.name),
      view.columns,
    );
  });
});
