/**
 * Policy lookups (core/src/policy/lookup.ts): names from requests are own keys only, and the
 * columns a view publishes are read one way by the gateway's view listing and its review checks.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { View } from '@privet/core';
import {
  declared,
  indexedIdentifierColumns,
  publishedColumnNames,
} from '@privet/core/policy/lookup';

describe('policy lookups', () => {
  test('declared() never takes an inherited property for a declared name', () => {
    const views: Record<string, number> = { patients: 1 };
    assert.equal(declared(views, 'patients'), 1);
    assert.equal(declared(views, 'constructor'), undefined);
    assert.equal(declared(views, 'toString'), undefined);
  });

  test('a masked view publishes its columns not dropped, in order; others all of theirs', () => {
    const masked = {
      tier: 'masked',
      source: 's',
      columns: {
        name: { op: 'drop' },
        id: { op: 'token' },
        zip: { op: 'keep' },
        ssn: { op: 'drop' },
      },
    } as unknown as View;
    assert.deepEqual(publishedColumnNames(masked), ['id', 'zip']);
    const synthetic = {
      tier: 'synthetic',
      source: 's',
      columns: ['age', 'sex'],
    } as unknown as View;
    const names = publishedColumnNames(synthetic);
    assert.deepEqual(names, ['age', 'sex']);
    names.push('x');
    assert.deepEqual((synthetic as { columns: string[] }).columns, ['age', 'sex'], 'a copy');
  });

  test('identifier columns: declared ones and a text privacy unit, sorted', () => {
    const sources = {
      b: {
        privacy_unit: 'pid',
        columns: { pid: { type: 'string' }, email: { type: 'string', identifier: true } },
      },
      a: { privacy_unit: 'n', columns: { n: { type: 'integer' }, age: { type: 'integer' } } },
    };
    assert.deepEqual(indexedIdentifierColumns({ sources }), ['b.email', 'b.pid']);
  });
});
