/**
 * `privet publish` of a synthetic view whose date column is too thin for DP year discovery (3,000
 * people over 300 years, ~10 a year, far below the threshold): the view still publishes, every
 * synthetic date is empty, and both the command's output and the manifest say which column, why,
 * and how to fix it — without any data value. With its years declared public, the same column
 * needs no discovery and every synthetic date falls in those years.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { DuckDBInstance } from '@duckdb/node-api';
import { readManifest, viewFiles } from '../../../gateway/src/publish/index.js';
import type { SyntheticPrivacy } from '../../../gateway/src/publish/synthetic.js';
import { writeFixedMasterKey } from '../publish/helpers.js';
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
    // A fixed master key, so the same noise every run: with a fresh key one of the 300 thin years
    // cleared discovery about 3 runs in a million, and then no warning was given.
    writeFixedMasterKey(state);
    const r = privet('publish', '--policy', policy, '--state', state);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /published people_synth: \d+ rows/);
    assert.match(
      r.stderr,
      /warning: view people_synth, column joined: no year of "joined" is held by enough rows to pass DP domain discovery \(about \d+ rows at ε = 1\), so every synthetic "joined" is empty\. Fix: declare the public years of "joined" in the source \(years: \[first, last\]/,
    );
    assert.doesNotMatch(r.stderr, /column (city|sex|age|income|smoker):/, 'only the thin column');
    assert.doesNotMatch(r.stderr, /\b2[0-2]\d\d\b/, 'no year of the data is printed');
    const manifest = readManifest(state, 'people_synth');
    assert.deepEqual(
      manifest?.warnings?.map((w) => w.column),
      ['joined'],
    );
  });

  test('declared public years need no discovery: the dates are synthesized, within those years', async () => {
    const policy = join(dir, 'policy-years.yaml');
    writeFileSync(
      policy,
      policyText({ publication: '3', seed: 'thin-years', joinedYears: [2000, 2299] }),
    );
    const state = join(work, 'state-years');
    writeFixedMasterKey(state); // the same synthetic dates every run
    const r = privet('publish', '--policy', policy, '--state', state);
    assert.equal(r.code, 0, r.stderr);
    assert.doesNotMatch(r.stderr, /column joined:/, 'no warning for the declared column');
    const manifest = readManifest(state, 'people_synth')!;
    const privacy = manifest.privacy as unknown as SyntheticPrivacy;
    assert.deepEqual(
      privacy.measurements.filter((m) => m.kind === 'domain').map((m) => m.attrs[0]),
      ['city'],
      'only the column without a public domain is discovered',
    );
    const db = await DuckDBInstance.create(':memory:');
    const c = await db.connect();
    const [stats] = (
      await c.runAndReadAll(
        `SELECT min(year(joined))::INTEGER AS y0, max(year(joined))::INTEGER AS y1,
          count(*) FILTER (WHERE joined IS NULL)::INTEGER AS nulls
        FROM read_parquet('${viewFiles(state, 'people_synth').parquet}')`,
      )
    ).getRowObjectsJS();
    c.closeSync();
    db.closeSync();
    assert.ok(Number(stats!['nulls']) === 0, `${String(stats!['nulls'])} empty dates`);
    assert.ok(Number(stats!['y0']) >= 2000 && Number(stats!['y1']) <= 2299, 'inside the years');
  });
});
