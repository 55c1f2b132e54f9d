import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { SyntheticView } from '@privet/core';
import { prefixOf, syntheticColumns } from '../../../gateway/src/publish/synthetic-columns.js';
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

  test('a prefixed string column reads its first characters; public categories become their prefixes', () => {
    const text = policyText({ publication: '5' })
      .replace(
        'city: { type: string }',
        "city: { type: string, categories: [Ames, Amherst, Boise, 'Ñandú'] }",
      )
      .replace('    bins: 12\n', '    bins: 12\n    prefix: { city: 2 }\n');
    const policy = fixturePolicy(text);
    const view = policy.views['people_synth'] as SyntheticView;
    const city = syntheticColumns(policy, 'people_synth', view).find(
      (c) => c.column.spec.name === 'city',
    )!;
    assert.deepEqual(city.column.spec, {
      name: 'city',
      kind: 'categorical',
      categories: ['Am', 'Bo', 'Ña'],
    });
    assert.equal(city.column.prefix, 2);
    assert.equal(city.readSql, 'left(CAST("city" AS VARCHAR), 2)');
    assert.match(city.operator, /first 2 characters \(public categories' prefixes\)/);
    assert.equal(prefixOf('😀abc', 2), '😀a', 'characters, not UTF-16 units');
  });
});
