/**
 * A string column too thin for DP domain discovery (3,000 people over 300 ZIP codes, ~10 each, far
 * below the threshold) publishes as "(other)" with a warning whose fix offers a prefix; with the
 * view's `prefix: { zip: 3 }` the same column is synthesized as its 3-character area (~1,000 people
 * each), every area survives discovery, no warning is given and the synthetic areas follow the real
 * ones. No ZIP code of the data is printed either way.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { DuckDBInstance } from '@duckdb/node-api';
import type { FidelityReport } from '@privet/core/synth/fidelity-types';
import { readManifest, viewFiles } from '../../../gateway/src/publish/index.js';
import { writeFixedMasterKey } from '../publish/helpers.js';
import { policyText, writeSource } from './fixture.js';
import { privet } from '../run-cli.js';

/** The areas of the fixture's ZIP codes and their shares (suffixes 00–99 under each). */
const AREAS: [string, number][] = [
  ['021', 0.5],
  ['024', 0.3],
  ['018', 0.2],
];

/** Adds a `zip` column to the fixture's people.csv: area by share, then one of 100 suffixes. */
function addZips(dir: string): void {
  const file = join(dir, 'people.csv');
  const [header, ...rows] = readFileSync(file, 'utf8').trimEnd().split('\n');
  const zips = rows.map((_, i) => {
    const u = ((i * 7919) % 1000) / 1000; // a fixed spread over [0, 1)
    const area = u < 0.5 ? AREAS[0]![0] : u < 0.8 ? AREAS[1]![0] : AREAS[2]![0];
    return `${area}${String((i * 37) % 100).padStart(2, '0')}`;
  });
  const lines = [`${header},zip`, ...rows.map((r, i) => `${r},${zips[i]}`)];
  writeFileSync(file, lines.join('\n') + '\n');
}

/** The fixture policy with `zip` declared and in the view, prefixed when `prefix` is given. */
function zipPolicy(prefix?: number): string {
  return policyText({ publication: '5', seed: 'zip-areas' })
    .replace(
      '      city: { type: string }\n',
      '      city: { type: string }\n      zip: { type: string }\n',
    )
    .replace(
      '    columns: [sex, city, age, income, joined, smoker]\n',
      `    columns: [sex, city, zip, age, income, joined, smoker]\n${prefix === undefined ? '' : `    prefix: { zip: ${prefix} }\n`}`,
    );
}

describe('privet publish: a thin string column synthesized as a prefix', () => {
  const dir = writeSource(3000);
  addZips(dir);
  const work = mkdtempSync(join(tmpdir(), 'privet-prefix-'));
  after(() => {
    rmSync(dir, { recursive: true, force: true });
    rmSync(work, { recursive: true, force: true });
  });

  test('without a prefix, the warning offers one', () => {
    const policy = join(dir, 'policy-full.yaml');
    writeFileSync(policy, zipPolicy());
    const state = join(work, 'state-full');
    const r = privet('publish', '--policy', policy, '--state', state);
    assert.equal(r.code, 0, r.stderr);
    assert.match(
      r.stderr,
      /column zip: (only \d+ values? of|no value of) "zip" .*Fix: declare the public categories of "zip" in the source, synthesize only a prefix of it \(e\.g\. prefix: \{ zip: 3 \} on the view\), /,
    );
    assert.doesNotMatch(r.stderr, /\b0(21|24|18)\d\d\b/, 'no ZIP code of the data is printed');
  });

  test('with prefix: { zip: 3 }, the areas are synthesized and no warning is given', async () => {
    const policy = join(dir, 'policy-prefix.yaml');
    writeFileSync(policy, zipPolicy(3));
    const state = join(work, 'state-prefix');
    // A fixed master key: the noise key mixes it with the policy seed, so the synthetic rows are
    // the same in every run. With a fresh key each run, the "(other)" slot (true count 0) was
    // sampled now and then from its DP noise (CI 101): valid output, a flaky test.
    writeFixedMasterKey(state);
    const r = privet('publish', '--policy', policy, '--state', state);
    assert.equal(r.code, 0, r.stderr);
    assert.doesNotMatch(r.stderr, /column zip:/, 'no warning for the prefixed column');
    const manifest = readManifest(state, 'people_synth')!;
    assert.match(
      manifest.columns.find((c) => c.name === 'zip')?.operator ?? '',
      /^synthesized as its first 3 characters \(DP-thresholded; others → "\(other\)"\)$/,
    );
    const db = await DuckDBInstance.create(':memory:');
    const c = await db.connect();
    const rows = (
      await c.runAndReadAll(
        `SELECT zip, count(*)::INTEGER AS n FROM read_parquet('${viewFiles(state, 'people_synth').parquet}') GROUP BY zip`,
      )
    ).getRowObjectsJS();
    c.closeSync();
    db.closeSync();
    const total = rows.reduce((s, row) => s + Number(row['n']), 0);
    const share = new Map(rows.map((row) => [String(row['zip']), Number(row['n']) / total]));
    assert.deepEqual([...share.keys()].sort(), AREAS.map(([a]) => a).sort(), 'the areas only');
    for (const [area, real] of AREAS)
      assert.ok(Math.abs(share.get(area)! - real) < 0.05, `${area}: ${share.get(area)} vs ${real}`);
    const fidelity = JSON.parse(
      readFileSync(join(viewFiles(state, 'people_synth').dir, 'fidelity.json'), 'utf8'),
    ) as FidelityReport;
    const zip = fidelity.columns.find((col) => col.name === 'zip')!;
    assert.ok(zip.tvd < 0.05, `zip TVD ${zip.tvd}: the report compares the real areas`);
    assert.deepEqual(
      zip.bars
        .filter((b) => b.real > 0)
        .map((b) => b.label)
        .sort(),
      AREAS.map(([a]) => a).sort(),
      'the real column is read as areas too',
    );
  });
});
