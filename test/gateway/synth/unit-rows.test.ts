/**
 * Synthetic views read one row per privacy unit: a person owning hundreds of raw rows counts once,
 * so their values cannot clear the domain-discovery threshold or weigh on the model, and the view
 * has about one row per person.
 */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { publishViews, viewFiles } from '../../../gateway/src/publish/index.js';
import { freshStateDir } from '../publish/helpers.js';
import { fixturePolicy, policyText, writeSource } from './fixture.js';

const HOARDED_CITY = 'Atlantis-Hoard';

describe('synthetic views bound each privacy unit to one row', () => {
  const sourceDir = writeSource(3000);
  const stateDir = freshStateDir();
  after(() => {
    rmSync(sourceDir, { recursive: true, force: true });
    rmSync(stateDir, { recursive: true, force: true });
  });

  test('600 rows of one person with a city of their own: the city never appears; ~3,000 rows', async () => {
    const extra = Array.from(
      { length: 600 },
      (_, i) => `7,F,${HOARDED_CITY},${30 + (i % 20)},50000,2010-01-01,false`,
    );
    appendFileSync(join(sourceDir, 'people.csv'), extra.join('\n') + '\n');
    const text = policyText({ publication: '2.5', seed: 'unit-rows' });
    const [result] = await publishViews({
      policy: fixturePolicy(text),
      policyText: text,
      policyDir: sourceDir,
      stateDir,
    });
    assert.ok(result, 'the view was published');
    const db = await DuckDBInstance.create(':memory:');
    const c = await db.connect();
    try {
      const parquet = viewFiles(stateDir, 'people_synth').parquet;
      const [row] = (
        await c.runAndReadAll(
          `SELECT count(*)::INTEGER AS n, count(*) FILTER (city = '${HOARDED_CITY}')::INTEGER AS hoarded FROM read_parquet('${parquet}')`,
        )
      ).getRowObjectsJS();
      assert.equal(row!['hoarded'], 0, 'a value from one person never clears discovery');
      const n = Number(row!['n']);
      assert.ok(n > 2800 && n < 3200, `about one row per person (${n}), not 3,600`);
    } finally {
      c.closeSync();
      db.closeSync();
    }
  });
});
