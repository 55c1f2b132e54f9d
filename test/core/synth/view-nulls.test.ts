/**
 * A null in a synthetic view's source comes out as null, never as a made-up value: a missing date
 * was counted as the label '' and decoded as Number('') = 0, which Date.UTC reads as 1900-01-01
 * (half-null dates gave 1,997 of 4,000 synthetic dates in 1900); a missing number was binned as 0,
 * a missing integer category decoded as 0 and a missing string as ''. Nulls stay inside the
 * measured domain: no measurement is added for them.
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import {
  decodeColumn,
  encodeCategorical,
  encodeNumeric,
  planBudget,
} from '@privet/core/synth/encode';
import { seededRandom } from '@privet/core/synth/seeded-random';
import {
  synthesizeView,
  type RawValues,
  type ViewColumn,
  type ViewSynthesis,
} from '@privet/core/synth/view';

const DAY_MS = 86_400_000;
const ROWS = 4000;
/** The report label of the nulls (encode.ts NULL_LABEL). */
const NULL_LABEL = '(null)';

const COLUMNS: ViewColumn[] = [
  { spec: { name: 'born', kind: 'categorical' }, output: 'date' },
  { spec: { name: 'visit', kind: 'categorical', categories: ['2020', '2021'] }, output: 'date' },
  { spec: { name: 'city', kind: 'categorical' }, output: 'string' },
  { spec: { name: 'tier', kind: 'categorical' }, output: 'integer' },
  {
    spec: { name: 'age', kind: 'numeric', bounds: [0, 100], bins: 10, integer: true },
    output: 'integer',
  },
  { spec: { name: 'score', kind: 'numeric', bounds: [0, 1], bins: 4 }, output: 'number' },
  {
    spec: { name: 'member', kind: 'categorical', categories: ['false', 'true'] },
    output: 'boolean',
  },
  // No nulls: the always-present null code must not make any up.
  {
    spec: { name: 'height', kind: 'numeric', bounds: [100, 200], bins: 10, integer: true },
    output: 'integer',
  },
];

/** Share of nulls each column holds in `raw()` (height none). */
const NULL_SHARE = [0.5, 0.25, 0.25, 0.25, 0.25, 0.25, 0.25, 0];

/** 4,000 rows from a fixed pattern: born is null in every other row, the rest in every 4th. */
function raw(): RawValues[] {
  const cols: (string | number | boolean | null)[][] = COLUMNS.map(() => []);
  for (let i = 0; i < ROWS; i++) {
    const gap = i % 4 === 1;
    cols[0]!.push(
      i % 2 === 0 ? null : Date.UTC(1980 + ((i >> 1) % 4), i % 12, 1 + (i % 28)) / DAY_MS,
    );
    cols[1]!.push(gap ? null : Date.UTC(2020 + (i % 2), i % 12, 1) / DAY_MS);
    cols[2]!.push(gap ? null : ['north', 'south', 'east'][i % 3]!);
    cols[3]!.push(gap ? null : (i % 3) + 1);
    cols[4]!.push(gap ? null : 20 + ((i * 37) % 70));
    cols[5]!.push(gap ? null : 0.25 + ((i * 13) % 75) / 100);
    cols[6]!.push(gap ? null : i % 5 === 0);
    cols[7]!.push(150 + ((i * 7) % 40));
  }
  return cols;
}

const shareOf = (values: readonly unknown[], f: (v: unknown) => boolean): number =>
  values.filter(f).length / values.length;

/** The views of `raw()` synthesized with 5 seeds, made once for all the tests below. */
let made: Promise<ViewSynthesis[]> | undefined;
function views(): Promise<ViewSynthesis[]> {
  made ??= (async () => {
    const input = raw();
    const out: ViewSynthesis[] = [];
    for (let run = 0; run < 5; run++)
      out.push(
        synthesizeView(COLUMNS, input, {
          epsilon: 1,
          delta: 1e-6,
          rng: await seededRandom(`nulls-${run}`),
        }),
      );
    return out;
  })();
  return made;
}

/** The UTC years of a date column's non-null values (days since 1970-01-01). */
const years = (col: readonly unknown[]): number[] =>
  col.filter((d) => d !== null).map((d) => new Date(Number(d) * DAY_MS).getUTCFullYear());

/** Asserts column `c` of every run is about as null as the source, NULL_SHARE[c] (±8 points). */
async function assertNullShare(c: number): Promise<void> {
  for (const [run, out] of (await views()).entries()) {
    const nulls = shareOf(out.values[c]!, (v) => v === null);
    assert.ok(
      Math.abs(nulls - NULL_SHARE[c]!) < 0.08,
      `run ${run}: ${COLUMNS[c]!.spec.name} is ${Math.round(nulls * 100)}% null, not ${NULL_SHARE[c]! * 100}%`,
    );
  }
}

describe('synthetic views keep nulls null (4,000 rows, 5 seeds)', () => {
  test('half-null discovered dates: nulls stay null, no date in 1900', async () => {
    for (const [run, out] of (await views()).entries()) {
      const born = years(out.values[0]!);
      assert.equal(born.filter((y) => y === 1900).length, 0, `run ${run}: births in 1900`);
      for (const y of born) assert.ok(y >= 1980 && y <= 1983, `run ${run}: born in ${y}`);
    }
    await assertNullShare(0);
  });

  test('dates with public years and booleans: nulls stay null', async () => {
    for (const [run, out] of (await views()).entries()) {
      for (const y of years(out.values[1]!))
        assert.ok(y === 2020 || y === 2021, `run ${run}: ${y}`);
      for (const v of out.values[6]!) assert.ok(v === null || typeof v === 'boolean');
    }
    await assertNullShare(1);
    await assertNullShare(6);
  });

  test('discovered strings: a null is null, never the text ""', async () => {
    for (const [run, out] of (await views()).entries()) {
      assert.ok(!out.values[2]!.includes(''), `run ${run}: a null city came out as ''`);
      for (const v of out.values[2]!)
        assert.ok(v === null || ['north', 'south', 'east'].includes(v as string), `city ${v}`);
    }
    await assertNullShare(2);
  });

  test('discovered integer categories: a null is null, never 0', async () => {
    for (const [run, out] of (await views()).entries())
      for (const v of out.values[3]!)
        assert.ok(v === null || [1, 2, 3].includes(v as number), `run ${run}: tier ${v}`);
    await assertNullShare(3);
  });

  test('numeric bins: a null is null, never a number from the bin of 0', async () => {
    for (const [run, out] of (await views()).entries()) {
      // The real ages are 20..89 and scores 0.25..0.99: a null binned as 0 came out below them.
      const [age, score] = [out.values[4]!, out.values[5]!];
      assert.ok(shareOf(age, (v) => v !== null && (v as number) < 20) < 0.05, `run ${run}: ages`);
      assert.ok(
        shareOf(score, (v) => v !== null && (v as number) < 0.25) < 0.05,
        `run ${run}: scores`,
      );
    }
    await assertNullShare(4);
    await assertNullShare(5);
  });

  test('a numeric column without nulls gets none from its null code', async () => {
    for (const [run, out] of (await views()).entries())
      assert.ok(!out.values[7]!.includes(null), `run ${run}: a height made up as null`);
  });

  test('nulls cost no measurement: one discovery charge per discovered column', async () => {
    for (const out of await views()) {
      assert.deepEqual(
        out.measurements.filter((m) => m.kind === 'domain').map((m) => m.attrs[0]),
        ['born', 'city', 'tier'],
      );
      assert.ok(!out.rhoSpent.gt(out.rhoTotal));
    }
  });

  test('same seed → same values; the report labels the nulls "(null)"', async () => {
    const input = raw();
    const a = synthesizeView(COLUMNS, input, {
      epsilon: 1,
      delta: 1e-6,
      rng: await seededRandom('same'),
    });
    const b = synthesizeView(COLUMNS, input, {
      epsilon: 1,
      delta: 1e-6,
      rng: await seededRandom('same'),
    });
    assert.deepEqual(a.values, b.values);
    assert.deepEqual(a.measurements, b.measurements);
    assert.equal(a.labels[0]![0], NULL_LABEL);
    assert.ok(!a.labels[0]!.includes(''), 'no year labelled ""');
    assert.equal(a.labels[4]!.at(-1), NULL_LABEL);
    assert.equal(a.labels[4]!.length, 11);
  });

  test('a null and the text "" are told apart; null codes decode to null', async () => {
    const rng = await seededRandom('codes');
    const plan = planBudget(1, 1e-6, { discoveries: 1 });
    const values = Array.from({ length: 900 }, (_, i) => [null, '', 'a'][i % 3]!);
    const e = encodeCategorical({ name: 's', kind: 'categorical' }, values, {
      ledger: plan.ledger,
      rng,
      ...plan.discovery!,
    });
    assert.deepEqual(e.labels, [NULL_LABEL, '', 'a', '(other)']);
    assert.equal(e.nullCode, 0);
    assert.deepEqual(Array.from(e.column.codes.slice(0, 3)), [0, 1, 2]);
    assert.deepEqual(decodeColumn(e, Int32Array.of(0, 1, 2), rng), [null, '', 'a']);
    // A numeric column always has its null code after the bins, as its catch-all.
    const n = encodeNumeric({ name: 'x', kind: 'numeric', bounds: [0, 10], bins: 5 }, [
      null,
      undefined,
      '',
      NaN,
      0,
      10,
    ]);
    assert.deepEqual(Array.from(n.column.codes), [5, 5, 5, 5, 0, 4]);
    assert.equal(n.column.size, 6);
    assert.equal(n.column.catchAll, 5);
    assert.equal(decodeColumn(n, Int32Array.of(5), rng)[0], null);
  });
});
