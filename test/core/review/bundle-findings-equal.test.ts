/**
 * `checkOutput` was made faster on mixed-MIME outputs (fewer passes and strings per part); what it
 * finds must not change. Its whole result (verdict, every finding in order, the redacted preview)
 * on a fixed corpus of benchmark-like bundles with hostile fragments spliced in (bundle-corpus.ts)
 * was recorded with the code as it was before (fixtures/bundle-findings.json, one hash per case)
 * and is compared here, case by case. To record again after a change that is meant to change the
 * findings: `RECORD_BUNDLE_FINDINGS=1 node scripts/run-tests.mjs test/core/review/bundle-findings-equal.test.ts`.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { checkOutput } from '@privet/core/review/index';
import { BUNDLE_CASES, bundleCase } from './bundle-corpus.js';

const FIXTURE = new URL('./fixtures/bundle-findings.json', import.meta.url);

/** One case as recorded: hashes of its input and of the whole result, and how many findings. */
interface Recorded {
  input: string;
  result: string;
  findings: number;
}

const hash = (s: string): string => createHash('sha256').update(s).digest('hex').slice(0, 16);

/** Checks case `k` with the code as it is now. */
function check(k: number): Recorded {
  const output = bundleCase(k);
  const result = checkOutput(output);
  return {
    input: hash(JSON.stringify(output)),
    result: hash(JSON.stringify(result)),
    findings: result.findings.length,
  };
}

const now = Array.from({ length: BUNDLE_CASES }, (_, k) => check(k));
if (process.env.RECORD_BUNDLE_FINDINGS === '1')
  writeFileSync(FIXTURE, `[\n${now.map((r) => JSON.stringify(r)).join(',\n')}\n]\n`);
const recorded = JSON.parse(readFileSync(FIXTURE, 'utf8')) as Recorded[];

describe('checkOutput finds on mixed bundles what it found before it was made faster', () => {
  test('the corpus is the one recorded, and holds findings worth comparing', () => {
    assert.equal(recorded.length, BUNDLE_CASES);
    for (let k = 0; k < BUNDLE_CASES; k++)
      assert.equal(now[k]?.input, recorded[k]?.input, `case ${k}: the generator changed`);
    assert.ok(now.filter((r) => r.findings >= 5).length > 80);
  });

  test('every result is as recorded, case by case', () => {
    for (let k = 0; k < BUNDLE_CASES; k++) assert.deepEqual(now[k], recorded[k], `case ${k}`);
  });
});
