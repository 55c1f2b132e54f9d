/**
 * `privet publish` of a synthetic view whose date column is too thin for DP year discovery (3,000
 * people over 300 years, ~10 a year, far below the threshold): the view still publishes, every
 * synthetic date is empty, and both the command's output and the manifest say which column, why,
 * and how to fix it — without any data value.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { readManifest } from '../../../gateway/src/publish/index.js';
import { policyText, writeSource } from './fixture.js';
import { privet } from '../run-cli.js';

describe('privet publish: a column no value of which survives DP discovery', () => {
  const dir = writeSource(3000, 300);
  const work = mkdtempSync(join(tmpdir(), 'privet-thin-'));
  after(() => {
    rmSync(dir, { recursive: true, force: true });
    rmSync(work, { recursive: true, force: true });
  });

  test('is named with its cause and fix in the output and the manifest', () => {
    const policy = join(dir, 'policy.yaml');
    writeFileSync(policy, policyText({ publication: '3', seed: 'thin-years' }));
    const state = join(work, 'state');
    const r = privet('publish', '--policy', policy, '--state', state);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /published people_synth: \d+ rows/);
    assert.match(
      r.stderr,
      /warning: view people_synth, column joined: no year of "joined" is held by enough rows to pass DP domain discovery \(about \d+ rows at ε = 1\), so every synthetic "joined" is empty\. Fix: declare the years of "joined" as public categories/,
    );
    assert.doesNotMatch(r.stderr, /column (city|sex|age|income|smoker):/, 'only the thin column');
    assert.doesNotMatch(r.stderr, /\b2[0-2]\d\d\b/, 'no year of the data is printed');
    const manifest = readManifest(state, 'people_synth');
    assert.deepEqual(
      manifest?.warnings?.map((w) => w.column),
      ['joined'],
    );
  });
});
