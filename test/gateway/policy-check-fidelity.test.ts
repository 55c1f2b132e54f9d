// `privet policy check` prints a note, at the key, for each synthetic view that shows analysts its
// fidelity report (`fidelity_for_analysts: true`): the report is exact, not DP.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { privet } from './run-cli.js';

const VALID = readFileSync(new URL('../fixtures/policies/valid.yaml', import.meta.url), 'utf8');
const dir = mkdtempSync(join(tmpdir(), 'privet-fidelity-note-'));
after(() => rmSync(dir, { recursive: true, force: true }));

describe('privet policy check: fidelity_for_analysts', () => {
  test('a synthetic view that sets it is noted with what the report reveals; exit 0', () => {
    const text = VALID.replace(
      '    delta: 1.0e-9\n',
      '    delta: 1.0e-9\n    fidelity_for_analysts: true\n',
    );
    const file = join(dir, 'policy.yaml');
    writeFileSync(file, text);
    const line = text.split('\n').indexOf('    fidelity_for_analysts: true') + 1;
    const r = privet('policy', 'check', file);
    assert.equal(r.code, 0, r.stderr);
    assert.ok(
      r.stderr.includes(
        `policy.yaml:${line}:5: note: view people_synthetic: fidelity_for_analysts: true shows analysts the fidelity report, which is exact, not DP:`,
      ),
      r.stderr,
    );
    assert.match(r.stderr, /subtracted to reveal one person's row\.\n/);
  });
});
