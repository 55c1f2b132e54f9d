// A synthetic view's fidelity report is exact, not DP (real row counts and per-column shares of the
// raw data): two reports of changing data subtract to one person's row. `fidelity_for_analysts:
// true` is allowed, but its hint says so and `privet policy check` notes every view that sets it.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parsePolicy } from '@privet/core';
import { hintFor } from '@privet/core/policy/hints';
import { policyNotes } from '@privet/core/policy/notes';

const VALID = readFileSync(new URL('../../fixtures/policies/valid.yaml', import.meta.url), 'utf8');
const SYNTHETIC = '    delta: 1.0e-9\n';

/** The fixture policy with `line` added to its synthetic view (people_synthetic). */
function withSyntheticKey(line: string): string {
  assert.equal(VALID.split(SYNTHETIC).length, 2, 'one synthetic view ends with its delta');
  return VALID.replace(SYNTHETIC, `${SYNTHETIC}    ${line}\n`);
}

/** The notes of `text` about fidelity_for_analysts. */
function fidelityNotes(text: string) {
  return policyNotes(parsePolicy(text, 'policy.yaml'), text, 'policy.yaml').filter((n) =>
    n.path.endsWith('.fidelity_for_analysts'),
  );
}

describe('fidelity_for_analysts: the report is not DP', () => {
  test('the hint says the report is exact, not DP, and what that reveals', () => {
    const hint = hintFor(['views', 'people_synthetic', 'fidelity_for_analysts']);
    assert.match(hint!.what, /exact, not DP: real row counts and per-column shares/);
    assert.match(hint!.what, /subtracted to reveal one person's row/);
    assert.equal(hint!.example, 'fidelity_for_analysts: true');
  });

  test('policy check notes a synthetic view that sets it to true, on the key', () => {
    const text = withSyntheticKey('fidelity_for_analysts: true');
    const notes = fidelityNotes(text);
    assert.equal(notes.length, 1);
    const [note] = notes;
    assert.equal(note!.path, 'views.people_synthetic.fidelity_for_analysts');
    const line = text.split('\n')[note!.position.line - 1]!;
    assert.equal(line.slice(note!.position.column - 1), 'fidelity_for_analysts: true');
    assert.match(
      note!.message,
      /^view people_synthetic: fidelity_for_analysts: true shows analysts the fidelity report, which is exact, not DP: .*subtracted to reveal one person's row$/,
    );
  });

  test('no note when the report stays with stewards', () => {
    assert.deepEqual(fidelityNotes(VALID), []);
    assert.deepEqual(fidelityNotes(withSyntheticKey('fidelity_for_analysts: false')), []);
  });
});
