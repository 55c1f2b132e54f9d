import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { SyntheticView } from '@privet/core';
import { syntheticColumns } from '../../../gateway/src/publish/synthetic-columns.js';
import { fixturePolicy, policyText } from './fixture.js';

describe('synthetic view columns from the policy', () => {
  test('a numeric column without bounds is binned over DP-estimated bounds (not refused)', () => {
    const text = policyText({ publication: '5' }).replace(
      'income: { type: number, bounds: [0, 100000] }',
      'income: { type: number }',
    );
    const policy = fixturePolicy(text);
    const view = policy.views['people_synth'] as SyntheticView;
    const income = syntheticColumns(policy, 'people_synth', view).find(
      (c) => c.column.spec.name === 'income',
    );
    assert.deepEqual(income?.column.spec, {
      name: 'income',
      kind: 'numeric',
      bins: 12,
      integer: false,
    });
    assert.match(income?.operator ?? '', /DP-estimated bounds/);
    const age = syntheticColumns(policy, 'people_synth', view).find(
      (c) => c.column.spec.name === 'age',
    );
    assert.deepEqual(age?.column.spec, {
      name: 'age',
      kind: 'numeric',
      bounds: [18, 78],
      bins: 12,
      integer: true,
    });
  });
});
