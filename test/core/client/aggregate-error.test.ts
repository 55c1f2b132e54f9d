import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { priceDpPlan } from '@privet/core/dpsql/price';
import { describeColumns } from '@privet/core/dpsql/describe';
import { aggregateCell } from '@privet/core/dpsql/release';
import {
  aggregateErrorText,
  meanHalfWidth,
  roughNumber,
} from '@privet/core/client/aggregate-error';
import { avgAge, count, plan, varAge } from '../dpsql/plans.js';

describe('the expected error a dry run shows per aggregate', () => {
  const priced = priceDpPlan(plan([count(), avgAge(), varAge()]), { epsilon: 1 });
  const [n, avg, variance] = describeColumns(priced);

  test('COUNT: its one measurement’s half-width; VAR: the data decides, with its parts', () => {
    assert.ok(n?.halfWidth !== undefined);
    assert.equal(aggregateErrorText(n), `± ${roughNumber(n.halfWidth)}`);
    assert.equal(meanHalfWidth(n, 1000), undefined);
    assert.match(
      aggregateErrorText(variance!),
      /^depends on the data \(count ± \d+, centred_sum ± /,
    );
  });

  test('AVG: shown per group size, shrinking as the group grows', () => {
    assert.ok(avg);
    const text = aggregateErrorText(avg);
    assert.match(
      text,
      /± [\d.,]+ over 100 rows · ± [\d.,]+ over 1,000 rows · ± [\d.,]+ over 10,000 rows/,
    );
    const widths = [100, 1000, 10_000].map((rows) => meanHalfWidth(avg, rows)!);
    assert.ok(widths[0]! > widths[1]! && widths[1]! > widths[2]!, String(widths));
    // A group no larger than the count's noise could be cancelled out: no finite ± for it.
    const countWidth = avg.noise!.find((p) => p.part === 'count')!.halfWidth;
    assert.equal(meanHalfWidth(avg, countWidth), undefined);
  });

  test('AVG: the shown ± bounds the released mean’s error whenever both noises are within their intervals', () => {
    const index = 1;
    const measurements = priced.measurements.filter((m) => m.aggregate === index);
    const enc = priced.encodings[index]!;
    const [hc, hs] = measurements.map((m) => m.halfWidth) as [number, number];
    for (const rows of [200, 1000, 5000]) {
      const bound = meanHalfWidth(avg!, rows)!;
      let worst = 0;
      // Every age the same (mean 0, 50 or 100: the centred sum at either end or the centre), and
      // each noise at either end of its interval.
      for (const age of [0n, 50n, 100n]) {
        const sum = BigInt(rows) * (age * enc.fixedPoint - enc.centre);
        for (const ec of [-hc, 0, hc])
          for (const es of [-hs, 0, hs]) {
            const cell = aggregateCell(
              priced,
              index,
              [BigInt(rows + ec), sum + BigInt(es)],
              measurements,
            );
            worst = Math.max(worst, Math.abs(Number(cell.value) - Number(age)));
          }
      }
      assert.ok(worst <= bound + 1e-9, `${rows} rows: error ${worst} > shown ± ${bound}`);
      // And not loose by more than the count's share: the extreme case reaches most of it.
      assert.ok(worst >= bound * 0.5, `${rows} rows: error ${worst} far below ± ${bound}`);
    }
  });

  test('numbers to three significant digits, grouped', () => {
    assert.equal(roughNumber(5_533_319), '5,530,000');
    assert.equal(roughNumber(18), '18');
    assert.equal(roughNumber(0.012345), '0.0123');
  });
});
