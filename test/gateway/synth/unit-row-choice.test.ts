/**
 * The row kept per privacy unit is chosen by a salted hash of the whole row. A source column named
 * like the table alias once stood in for the row (the salt then mixed in only that column, and a
 * unit whose rows agreed on it always kept DuckDB's first row): now no column name can shadow it.
 */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parsePolicy, type SyntheticView } from '@privet/core';
import { openSourceEngine } from '../../../gateway/src/store/engine.js';
import { readRaw } from '../../../gateway/src/publish/synthetic.js';
import { syntheticColumns } from '../../../gateway/src/publish/synthetic-columns.js';

const UNITS = 400;

const POLICY = `version: 1
name: unit-row-choice
sources:
  people:
    path: people.csv
    format: csv
    privacy_unit: pid
    columns:
      pid: { type: integer, identifier: true }
      u: { type: integer, bounds: [0, 1000] }
      t: { type: string, categories: [same] }
      x: { type: string, categories: [first, second] }
views:
  people_synth:
    tier: synthetic
    source: people
    columns: [u, t, x]
    epsilon: 1
    delta: 1.0e-7
users:
  sue: { name: Sue Steward, roles: [steward] }
budgets:
  - { source: people, epsilon: '3', delta: '1e-6', scope: experiment }
publication_budgets:
  - { source: people, epsilon: '3', delta: '1e-6' }
retention:
  derived_artefacts_days: 30
  audit_log_days: 3650
export:
  require_review_for_flagged: true
  images: review
  small_cell_threshold: 10
`;

describe('one row per privacy unit, chosen by a salted hash of the whole row', () => {
  const dir = mkdtempSync(join(tmpdir(), 'privet-unit-row-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  // Two rows per unit that agree on "t" (and on "u", a copy of the unit that the view may read)
  // and differ only in "x", the "first" row always first.
  const lines = ['pid,u,t,x'];
  for (let i = 1; i <= UNITS; i++) lines.push(`${i},${i},same,first`, `${i},${i},same,second`);
  writeFileSync(join(dir, 'people.csv'), lines.join('\n') + '\n');
  const policy = parsePolicy(POLICY, 'unit-row-choice.yaml');
  const view = policy.views['people_synth'] as SyntheticView;
  const columns = syntheticColumns(policy, 'people_synth', view);

  /** The share of units whose kept row is the "second" one under `salt`, and each unit's row. */
  async function secondShare(
    salt: string,
  ): Promise<{ share: number; kept: Map<unknown, unknown> }> {
    const engine = await openSourceEngine(policy, dir);
    try {
      const table = engine.sources['people']!.table;
      const raw = await readRaw(engine.connection, 'people_synth', table, 'pid', salt, columns);
      const [u, , x] = raw as [unknown[], unknown[], unknown[]];
      const kept = new Map(u.map((unit, i) => [unit, x[i]]));
      assert.equal(kept.size, UNITS, 'one row per unit');
      return { share: x.filter((v) => v === 'second').length / UNITS, kept };
    } finally {
      engine.close();
    }
  }

  test('a column named "t" does not shadow the row: about half the units keep each row', async () => {
    const shares: number[] = [];
    for (const salt of ['salt-a', 'salt-b', 'salt-c', 'salt-d', 'salt-e']) {
      const { share } = await secondShare(salt);
      shares.push(share);
      // 400 fair coins: the share's standard deviation is 0.025, so this is six of them.
      assert.ok(share > 0.35 && share < 0.65, `salt ${salt}: ${share} of units kept "second"`);
    }
    const mean = shares.reduce((a, b) => a + b, 0) / shares.length;
    assert.ok(mean > 0.4 && mean < 0.6, `over five salts, ${mean} of units kept "second"`);
  });

  test('the same salt keeps the same rows; another salt keeps other ones', async () => {
    const first = await secondShare('salt-a');
    const again = await secondShare('salt-a');
    assert.deepEqual(again.kept, first.kept);
    const other = await secondShare('salt-b');
    const changed = [...other.kept].filter(([unit, x]) => first.kept.get(unit) !== x).length;
    assert.ok(changed > UNITS * 0.35, `${changed} of ${UNITS} units changed rows with the salt`);
  });
});
