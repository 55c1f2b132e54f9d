import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { encodeCategorical, OTHER_LABEL } from '@privet/core/synth/encode';
import { fidelityReport } from '@privet/core/synth/fidelity';
import {
  NOT_RELEASED_LABEL,
  rawIsOtherLabel,
  reportTables,
} from '@privet/core/synth/report-tables';
import { seededRandom } from '@privet/core/synth/seeded-random';
import { synthesizeView, type RawValues, type ViewColumn } from '@privet/core/synth/view';

describe('fidelity report tables (real values the view cannot hold)', () => {
  test('real rows coded catch-all move to "(not released)" unless their value is "(other)" itself', () => {
    const raw = ['a', 'b', 'zz', OTHER_LABEL, null, 'a'];
    const encoded = encodeCategorical(
      { name: 'c', kind: 'categorical', categories: ['a', 'b'] },
      raw,
    );
    const real = { columns: [encoded.column], rows: raw.length };
    const synthetic = {
      columns: [{ ...encoded.column, codes: Int32Array.from([0, 2, 2, 2]) }],
      rows: 4,
    };
    const out = reportTables(real, synthetic, [encoded.labels!], (_, row) =>
      rawIsOtherLabel(raw[row]!),
    );
    assert.deepEqual(out.labels[0], ['a', 'b', OTHER_LABEL, NOT_RELEASED_LABEL]);
    // 'zz' and null are not in the domain; the literal "(other)" stays in the catch-all.
    assert.deepEqual([...out.real.columns[0]!.codes], [0, 1, 3, 2, 3, 0]);
    assert.equal(out.real.columns[0]!.size, 4);
    assert.equal(out.synthetic.columns[0]!.size, 4, 'both tables share the domain');
    assert.deepEqual([...out.synthetic.columns[0]!.codes], [0, 2, 2, 2], 'synthetic codes kept');
    // The synthesizer's own tables are untouched.
    assert.deepEqual([...real.columns[0]!.codes], [0, 1, 2, 2, 2, 0]);
    assert.equal(synthetic.columns[0]!.size, 3);
  });

  test('a column every real value of which fits its domain is shared unchanged', () => {
    const raw = ['a', 'b', 'a'];
    const encoded = encodeCategorical(
      { name: 'c', kind: 'categorical', categories: ['a', 'b'] },
      raw,
    );
    const real = { columns: [encoded.column], rows: 3 };
    const out = reportTables(real, real, [encoded.labels!], () => false);
    assert.equal(out.real.columns[0], real.columns[0]);
    assert.deepEqual(out.labels[0], ['a', 'b', OTHER_LABEL]);
  });

  test('a column DP discovery emptied scores as far from the real one as it is (was ≈ 0)', async () => {
    // 1,200 rows: "zip" has 600 values held by 2 rows each (none passes discovery at ε = 1);
    // "sex" has public categories and is reproduced closely.
    const columns: ViewColumn[] = [
      { spec: { name: 'zip', kind: 'categorical' }, output: 'string' },
      { spec: { name: 'sex', kind: 'categorical', categories: ['F', 'M'] }, output: 'string' },
    ];
    const n = 1200;
    const raw: RawValues[] = [
      Array.from({ length: n }, (_, i) => `z${String(i % 600).padStart(3, '0')}`),
      Array.from({ length: n }, (_, i) => (i % 3 === 0 ? 'M' : 'F')),
    ];
    const made = synthesizeView(columns, raw, {
      epsilon: 1,
      delta: 1e-9,
      rng: await seededRandom('report-tables'),
    });
    assert.equal(made.warnings[0]?.column, 'zip', 'the publisher warns about zip too');
    const report = fidelityReport({
      view: 'v',
      real: made.realCodes,
      synthetic: made.syntheticCodes,
      labels: made.labels,
      createdAt: '2026-12-03T00:00:00Z',
    });
    const zip = report.columns.find((c) => c.name === 'zip')!;
    assert.equal(zip.tvd, 1, 'every real zip is not released, every synthetic one is "(other)"');
    const bar = (label: string) => zip.bars.find((b) => b.label === label);
    assert.equal(bar(NOT_RELEASED_LABEL)?.real, 1);
    assert.equal(bar(NOT_RELEASED_LABEL)?.synthetic, 0);
    assert.equal(bar(OTHER_LABEL)?.synthetic, 1);
    // No bar names a real zip.
    assert.ok(zip.bars.every((b) => !b.label.startsWith('z')));
    const sex = report.columns.find((c) => c.name === 'sex')!;
    assert.ok(sex.tvd < 0.05, `sex TVD ${sex.tvd}`);
    assert.ok(!sex.bars.some((b) => b.label === NOT_RELEASED_LABEL));
  });
});
