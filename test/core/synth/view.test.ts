import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { seededRandom } from '@privet/core/synth/seeded-random';
import { synthesizeView, type RawValues, type ViewColumn } from '@privet/core/synth/view';

const SECRET_CITY = 'held-by-one-person';
const SECRET_YEAR_DAY = Date.UTC(1931, 5, 1) / 86_400_000;

const COLUMNS: ViewColumn[] = [
  { spec: { name: 'city', kind: 'categorical' }, output: 'string' },
  { spec: { name: 'tier', kind: 'categorical', categories: ['1', '2', '3'] }, output: 'integer' },
  {
    spec: { name: 'age', kind: 'numeric', bounds: [0, 100], bins: 10, integer: true },
    output: 'integer',
  },
  { spec: { name: 'score', kind: 'numeric', bounds: [0, 1], bins: 4 }, output: 'number' },
  { spec: { name: 'born', kind: 'categorical' }, output: 'date' },
  {
    spec: { name: 'member', kind: 'categorical', categories: ['false', 'true'] },
    output: 'boolean',
  },
];

/** 800 rows with one unique city and one unique birth year (test data from a fixed pattern). */
function raw(): RawValues[] {
  const n = 800;
  const cols: (string | number | boolean | null)[][] = COLUMNS.map(() => []);
  for (let i = 0; i < n; i++) {
    cols[0]!.push(['north', 'south', 'east'][i % 3]!);
    cols[1]!.push((i % 3) + 1);
    cols[2]!.push((i * 37) % 100);
    cols[3]!.push(((i * 13) % 100) / 100);
    cols[4]!.push(Date.UTC(1980 + (i % 4), i % 12, 1 + (i % 28)) / 86_400_000);
    cols[5]!.push(i % 5 === 0);
  }
  cols[0]![77] = SECRET_CITY;
  cols[4]![78] = SECRET_YEAR_DAY;
  return cols;
}

describe('synthesizeView (policy columns → synthetic values)', () => {
  test('decodes every output type within its declared domain; unique values never appear (20 seeds)', async () => {
    const input = raw();
    for (let run = 0; run < 20; run++) {
      const out = synthesizeView(COLUMNS, input, {
        epsilon: 1,
        delta: 1e-6,
        rng: await seededRandom(`view-${run}`),
      });
      const [city, tier, age, score, born, member] = out.values;
      assert.ok(!city!.includes(SECRET_CITY), `run ${run}: unique city released`);
      for (const d of born!) {
        if (d === null) continue;
        const year = new Date(Number(d) * 86_400_000).getUTCFullYear();
        assert.ok(
          year >= 1980 && year <= 1983,
          `run ${run}: year ${year} outside the discovered years`,
        );
        assert.ok(Number.isInteger(d));
      }
      for (const v of tier!) assert.ok(v === null || [1, 2, 3].includes(v as number));
      for (const v of age!)
        assert.ok(Number.isInteger(v) && (v as number) >= 0 && (v as number) <= 100);
      for (const v of score!) assert.ok(typeof v === 'number' && v >= 0 && v <= 1);
      for (const v of member!) assert.ok(typeof v === 'boolean' || v === null);
      assert.deepEqual(
        out.measurements.filter((m) => m.kind === 'domain').map((m) => m.attrs[0]),
        ['city', 'born'],
      );
      assert.ok(!out.rhoSpent.gt(out.rhoTotal));
    }
  });

  test('same seed → identical values; labels describe bins and released categories only', async () => {
    const input = raw();
    const a = synthesizeView(COLUMNS, input, {
      epsilon: 1,
      delta: 1e-6,
      rng: await seededRandom('s'),
    });
    const b = synthesizeView(COLUMNS, input, {
      epsilon: 1,
      delta: 1e-6,
      rng: await seededRandom('s'),
    });
    assert.deepEqual(a.values, b.values);
    assert.deepEqual(a.labels[2]!.slice(0, 2), ['[0, 10)', '[10, 20)']);
    assert.ok(!a.labels[0]!.includes(SECRET_CITY));
    assert.equal(a.realCodes.rows, 800);
  });

  test('public categories never come back as "(other)" when no row lies outside them (20 seeds)', async () => {
    const columns: ViewColumn[] = [
      { spec: { name: 'sex', kind: 'categorical', categories: ['F', 'M'] }, output: 'string' },
      {
        spec: { name: 'tier', kind: 'categorical', categories: ['1', '2', '3'] },
        output: 'integer',
      },
    ];
    const n = 3000;
    const input: RawValues[] = [
      Array.from({ length: n }, (_, i) => (i % 3 === 0 ? 'F' : 'M')),
      Array.from({ length: n }, (_, i) => ((i % 7) % 3) + 1),
    ];
    for (let run = 0; run < 20; run++) {
      const out = synthesizeView(columns, input, {
        epsilon: 1,
        delta: 1e-6,
        rng: await seededRandom(`no-other-${run}`),
      });
      assert.ok(!out.values[0]!.includes('(other)'), `run ${run}: "(other)" generated for sex`);
      assert.ok(!out.values[1]!.includes(null), `run ${run}: a tier outside 1..3 generated`);
    }
  });

  test('a discovered column that loses every value to DP discovery is named in a warning', async () => {
    // 800 rows: born spread over 200 years (4 rows each, far below the threshold), city over 3.
    const input = raw();
    input[4] = input[4]!.map((_, i) => Date.UTC(1800 + (i % 200), 0, 1) / 86_400_000);
    const out = synthesizeView(COLUMNS, input, {
      epsilon: 1,
      delta: 1e-6,
      rng: await seededRandom('thin-years'),
    });
    assert.ok(
      out.values[4]!.every((d) => d === null),
      'no year survived: every date is empty',
    );
    assert.deepEqual(
      out.warnings.map((w) => w.column),
      ['born'],
    );
    const [w] = out.warnings;
    assert.match(
      w!.message,
      /no year of "born" is held by enough rows .*about \d+ rows at ε = 1\)/,
    );
    assert.match(
      w!.fix,
      /public years of "born" in the source \(years: \[first, last\].* or raise the view's epsilon/,
    );
    assert.ok(!/18\d\d/.test(`${w!.message} ${w!.fix}`), 'no data value in the warning');
    // The usual data: every discovered column keeps values, so nothing to warn about.
    const usual = synthesizeView(COLUMNS, raw(), {
      epsilon: 1,
      delta: 1e-6,
      rng: await seededRandom('usual-years'),
    });
    assert.deepEqual(usual.warnings, []);
  });

  test('a discovered column left mostly "(other)" by DP discovery is named in a warning', async () => {
    // 800 rows: a third of the cities are "north", the rest spread over 400 zip-like names (1-2
    // rows each): only "north" can pass discovery, so about two thirds of the rows are "(other)".
    const input = raw();
    input[0] = input[0]!.map((_, i) => (i % 3 === 0 ? 'north' : `town-${i % 400}`));
    const out = synthesizeView(COLUMNS, input, {
      epsilon: 1,
      delta: 1e-6,
      rng: await seededRandom('thin-cities'),
    });
    const other = out.values[0]!.filter((v) => v === '(other)').length / out.values[0]!.length;
    assert.ok(other > 0.5, `share of "(other)" ${other}`);
    assert.deepEqual(
      out.warnings.map((w) => w.column),
      ['city'],
    );
    const [w] = out.warnings;
    assert.match(
      w!.message,
      /^only 1 value of "city" is held by enough rows to pass DP domain discovery \(about \d+ rows at ε = 1\), so \d+% of synthetic "city" are "\(other\)"$/,
    );
    assert.equal(
      w!.message.match(/so (\d+)%/)![1],
      String(Math.round(other * 100)),
      'the share is the published rows’ share',
    );
    assert.match(w!.fix, /public categories .*raise the view's epsilon, or leave "city" out/);
    assert.ok(!/north|town-/.test(`${w!.message} ${w!.fix}`), 'no data value in the warning');
  });

  test('refuses raw columns that do not match the declarations', async () => {
    assert.throws(
      () =>
        synthesizeView(COLUMNS, raw().slice(1), {
          epsilon: 1,
          delta: 1e-6,
          rng: undefined as never,
        }),
      /6 column declarations but 5 raw columns/,
    );
  });
});
