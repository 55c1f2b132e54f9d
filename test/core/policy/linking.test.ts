/**
 * k-anonymity is checked per row; a published token of the privacy unit, or one with a join group,
 * links rows, and every host says what k then does not cover (the manifest's `linkedBy`).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { MaskedView } from '@privet/core';
import { linkedRowsCaveat, linkingTokens } from '@privet/core/policy/linking';

/** A masked view of a visits source whose privacy unit is patient_id. */
function visits(columns: MaskedView['columns']): MaskedView {
  return {
    tier: 'masked',
    source: 'visits',
    columns,
    k_anonymity: { k: 5, quasi_identifiers: ['month'], max_suppressed_fraction: 0.01 },
  };
}

describe('tokens that link rows', () => {
  it('the privacy unit’s token and join-group tokens link rows; others do not', () => {
    const view = visits({
      visit_id: { op: 'token' },
      patient_id: { op: 'token' },
      clinic_id: { op: 'token', join_group: 'clinic' },
      month: { op: 'date_trunc', to: 'month' },
      department: { op: 'keep' },
    });
    assert.deepEqual(linkingTokens(view, 'patient_id'), [
      { column: 'patient_id', privacyUnit: true },
      { column: 'clinic_id', privacyUnit: false, joinGroup: 'clinic' },
    ]);
    // The unit dropped (or masked otherwise): nothing links a person's rows.
    const dropped = visits({ patient_id: { op: 'drop' }, visit_id: { op: 'token' } });
    assert.deepEqual(linkingTokens(dropped, 'patient_id'), []);
  });

  it('a token the publisher found repeated across rows links them too', () => {
    const view = visits({
      patient_id: { op: 'token' },
      email: { op: 'token' },
      visit_id: { op: 'token' },
      month: { op: 'date_trunc', to: 'month' },
    });
    assert.deepEqual(linkingTokens(view, 'patient_id', new Set(['email', 'patient_id'])), [
      { column: 'patient_id', privacyUnit: true },
      { column: 'email', privacyUnit: false, repeats: true },
    ]);
    const caveat = linkedRowsCaveat(5, [{ column: 'email', privacyUnit: false, repeats: true }]);
    assert.match(caveat, /email \(its values repeat across rows\) links rows/);
    assert.match(caveat, /a person's set of rows is not checked against k/);
  });

  it('the caveat names each link and what k does not cover', () => {
    assert.equal(linkedRowsCaveat(5, []), '');
    const unit = linkedRowsCaveat(5, [{ column: 'patient_id', privacyUnit: true }]);
    assert.match(
      unit,
      /^k = 5 holds for each row on its own: patient_id \(the privacy unit\) links rows/,
    );
    assert.match(unit, /a person's set of rows is not checked against k/);
    assert.doesNotMatch(unit, /join/);
    const both = linkedRowsCaveat(10, [
      { column: 'patient_id', privacyUnit: true, joinGroup: 'patient' },
    ]);
    assert.match(both, /patient_id \(the privacy unit; join group "patient"\)/);
    assert.match(
      both,
      /a person's set of rows and a row joined to another view of its join group are not checked against k/,
    );
    const join = linkedRowsCaveat(5, [
      { column: 'clinic_id', privacyUnit: false, joinGroup: 'clinic' },
    ]);
    assert.match(join, /clinic_id \(join group "clinic"\) links rows, so a row joined/);
    assert.doesNotMatch(join, /person's set/);
  });
});
