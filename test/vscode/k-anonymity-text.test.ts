/** The tree's tooltip for a masked view says its k, and what k does not cover when tokens link rows. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ViewManifest, ViewSummary } from '@privet/core/protocol';
import { kAnonymityMarkdown } from '../../vscode-ext/src/sidebar/k-anonymity-text.js';

/** A published masked view whose manifest has `kAnonymity`. */
function masked(kAnonymity: ViewManifest['kAnonymity']): ViewSummary {
  return {
    name: 'visits_masked',
    tier: 'masked',
    source: 'visits',
    columns: [],
    published: true,
    manifest: { kAnonymity } as ViewManifest,
  } as ViewSummary;
}

describe('k-anonymity in the view tooltip', () => {
  it('states k, the quasi-identifiers and the smallest class; nothing without k', () => {
    const text = kAnonymityMarkdown(
      masked({
        k: 5,
        quasiIdentifiers: ['visit_date', 'department'],
        smallestClass: 7,
        violations: 0,
      }),
    );
    assert.equal(text, '**k-anonymity:** k = 5 on visit_date, department; smallest class 7 people');
    assert.equal(kAnonymityMarkdown(masked(undefined)), '');
  });

  it('says what k does not cover when a published token links rows', () => {
    const text = kAnonymityMarkdown(
      masked({
        k: 5,
        quasiIdentifiers: ['visit_date'],
        smallestClass: 5,
        violations: 0,
        linkedBy: [{ column: 'patient_id', privacyUnit: true, joinGroup: 'patient' }],
      }),
    );
    assert.match(text, /\*\*Not covered by k:\*\* k = 5 holds for each row on its own: patient_id/);
    assert.match(text, /a person's set of rows and a row joined to another view/);
  });
});
