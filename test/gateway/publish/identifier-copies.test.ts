/**
 * A masked view must not publish an identifier's values under another column. Strings are looked
 * up in the index of raw identifier text; numbers and dates are too short for that (an age equals
 * some patient id), so a column is compared with each identifier of its own row instead. The
 * fixture is the security review's: an SSN and a birth date declared identifiers and tokenized or
 * dropped, with a kept copy of each stored as a number or a date.
 */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parsePolicy } from '@privet/core';
import { publishViews } from '../../../gateway/src/publish/index.js';
import { PublishError } from '../../../gateway/src/publish/errors.js';
import { freshStateDir } from './helpers.js';

/** The policy with the copies' declared types and the view's columns. */
function policy(ssnCopy: string, dobCopy: string, viewColumns: string): string {
  return `version: 1
name: copies
sources:
  people:
    path: people.csv
    format: csv
    privacy_unit: person_id
    columns:
      person_id: { type: integer, identifier: true }
      ssn: { type: integer, identifier: true }
      ssn_copy: { type: ${ssnCopy} }
      birth_date: { type: date, identifier: true }
      dob_copy: { type: ${dobCopy} }
      age: { type: integer }
views:
  people_v:
    tier: masked
    source: people
    columns:
${viewColumns}
users:
  stu: { name: Stu, roles: [steward] }
budgets: []
retention: { derived_artefacts_days: 1, audit_log_days: 30 }
export: { require_review_for_flagged: true, images: review, small_cell_threshold: 10 }
`;
}

/** Ten people; person 42's age equals their own id (a coincidence, not a copy). */
function rows(): string {
  const out = ['person_id,ssn,ssn_copy,birth_date,dob_copy,age'];
  for (let i = 0; i < 10; i++) {
    const id = 40 + i;
    const day = `1970-01-${String(i + 1).padStart(2, '0')}`;
    out.push(`${id},${123456780 + i},${123456780 + i},${day},${day},${id === 42 ? 42 : 30 + i}`);
  }
  return out.join('\n') + '\n';
}

describe('identifier copies in masked views', () => {
  const dirs: string[] = [];
  after(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  const publish = (text: string) => {
    const dir = mkdtempSync(join(tmpdir(), 'privet-copies-'));
    const stateDir = freshStateDir();
    dirs.push(dir, stateDir);
    writeFileSync(join(dir, 'people.csv'), rows());
    return publishViews({
      policy: parsePolicy(text, 'copies.yaml'),
      policyText: text,
      policyDir: dir,
      stateDir,
    });
  };

  for (const [ssnCopy, dobCopy] of [
    ['integer', 'date'],
    ['number', 'date'],
    ['string', 'string'],
  ] as const) {
    test(`a kept copy of an SSN (${ssnCopy}) is refused, naming the column, not a value`, async () => {
      const text = policy(
        ssnCopy,
        dobCopy,
        '      ssn: { op: token }\n      birth_date: { op: drop }\n      ssn_copy: { op: keep }',
      );
      await assert.rejects(publish(text), (err: unknown) => {
        assert.ok(err instanceof PublishError, String(err));
        assert.match(err.message, /"ssn_copy"/);
        assert.doesNotMatch(err.message, /12345678\d/, 'no raw value in the error');
        return true;
      });
    });
  }

  test('a kept copy of a birth date stored as a date is refused', async () => {
    const text = policy(
      'integer',
      'date',
      '      ssn: { op: token }\n      birth_date: { op: drop }\n      dob_copy: { op: keep }',
    );
    await assert.rejects(
      publish(text),
      /column "dob_copy" \(keep\) repeats the identifier "birth_date"/,
    );
  });

  test('a number that equals an identifier in one row of ten is no copy', async () => {
    const text = policy(
      'integer',
      'date',
      '      ssn: { op: token }\n      birth_date: { op: drop }\n      age: { op: keep }',
    );
    const [result] = await publish(text);
    assert.equal(result?.manifest.rows, 10);
  });
});
