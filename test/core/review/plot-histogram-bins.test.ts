/**
 * Numeric plotly histograms read as the bins plotly.js draws (plot-bins.ts): each bin's row count
 * (or count-like `histfunc: 'sum'` sums) is a count, so a bin of few rows — one age of 95 among
 * 200 ages 20..59 — is held under small-cell; empty bins draw no bar and are not counts.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { NotebookOutput } from '@privet/core/review/index';
import { f8, figure, heldOnlyWhenSmall, holding } from './plotly-output.js';

/**
 * Asserts `make(small)` is held under small-cell only (read under two binnings, the small bin may
 * be found in each) and `make(large)` passes.
 */
const heldUnderSomeBinning = <T>(make: (v: T) => NotebookOutput, small: T, large: T): void => {
  assert.deepEqual([...new Set(holding(make(small)))], ['small-cell'], 'with a small count');
  assert.deepEqual(holding(make(large)), [], 'without a small count');
};

/** `n` copies of `v`. */
const times = <T>(n: number, v: T): T[] => Array<T>(n).fill(v);

/** 200 ages: 20..59, five of each (every bin of the automatic size 5 holds 25). */
const AGES = Array.from({ length: 200 }, (_, i) => 20 + (i % 40));

/** AGES plus one age of 95: a bin of one row. */
const WITH_OUTLIER = [...AGES, 95];

describe('numeric histograms draw per-bin counts', () => {
  test('a bin of one row is held; the same ages without it pass, so do empty bins', () => {
    heldOnlyWhenSmall((x) => figure([{ type: 'histogram', x }]), WITH_OUTLIER, AGES);
    // Empty bins between the drawn ones draw no bar: they are no counts.
    const gapped = AGES.map((a) => (a < 40 ? a : a + 40)); // 20..39 and 80..99, nothing between
    assert.deepEqual(holding(figure([{ type: 'histogram', x: gapped }])), []);
  });

  test('as plotly.py sends it (bingroup), horizontal, typed, as numeric strings, with nulls', () => {
    heldOnlyWhenSmall(
      (x) => figure([{ type: 'histogram', x, bingroup: 'x', nbinsx: 0 }]),
      WITH_OUTLIER,
      AGES,
    );
    heldOnlyWhenSmall((y) => figure([{ type: 'histogram', y }]), WITH_OUTLIER, AGES);
    heldOnlyWhenSmall(
      (y) => figure([{ type: 'histogram', y, orientation: 'h' }]),
      f8(WITH_OUTLIER),
      f8(AGES),
    );
    heldOnlyWhenSmall((x) => figure([{ type: 'histogram', x: x.map(String) }]), WITH_OUTLIER, AGES);
    heldOnlyWhenSmall(
      (x) => figure([{ type: 'histogram', x: [...x, null, null] }]),
      WITH_OUTLIER,
      AGES,
    );
  });

  test('explicit xbins: a value past xbins.end is drawn in no bin; nbinsx: 1 draws one bar', () => {
    const clipped = { start: 19.5, end: 59.5, size: 5 };
    heldOnlyWhenSmall(
      (xbins) => figure([{ type: 'histogram', x: WITH_OUTLIER, xbins }]),
      { ...clipped, end: 100 },
      clipped,
    );
    heldOnlyWhenSmall((nbinsx) => figure([{ type: 'histogram', x: WITH_OUTLIER, nbinsx }]), 0, 1);
  });

  test('histnorm draws shares of the row counts: a bin of few rows is held', () => {
    heldOnlyWhenSmall(
      (x) => figure([{ type: 'histogram', x, histnorm: 'percent' }]),
      WITH_OUTLIER,
      AGES,
    );
  });
});

describe("histfunc 'sum' over numbers draws per-bin sums", () => {
  test('a small sum is held; large count-like sums pass though the bin has one row', () => {
    heldOnlyWhenSmall(
      (last) =>
        figure([
          { type: 'histogram', x: WITH_OUTLIER, y: [...times(200, 3), last], histfunc: 'sum' },
        ]),
      2,
      200,
    );
  });

  test('sums that are not count-like fall back to the row counts (one row: held)', () => {
    const y = [...times(200, 3), 200.5];
    assert.deepEqual(
      holding(figure([{ type: 'histogram', x: WITH_OUTLIER, y, histfunc: 'sum' }])),
      ['small-cell'],
    );
  });

  test('horizontal sums over typed arrays', () => {
    heldOnlyWhenSmall(
      (last) =>
        figure([
          {
            type: 'histogram',
            y: f8(WITH_OUTLIER),
            x: f8([...times(200, 3), last]),
            histfunc: 'sum',
            orientation: 'h',
          },
        ]),
      2,
      200,
    );
  });
});

describe('binnings not followed exactly are read conservatively', () => {
  test('traces sharing bins (px color=): a bin of one row in one trace is held', () => {
    heldUnderSomeBinning(
      (second) =>
        figure([
          { type: 'histogram', x: AGES, bingroup: 'x', name: 'a' },
          { type: 'histogram', x: second, bingroup: 'x', name: 'b' },
        ]),
      WITH_OUTLIER,
      AGES,
    );
  });

  test('a log axis and a cumulative histogram still read their bins', () => {
    heldUnderSomeBinning(
      (x) => figure([{ type: 'histogram', x }], { xaxis: { type: 'log' } }),
      WITH_OUTLIER,
      AGES,
    );
    heldUnderSomeBinning(
      (x) => figure([{ type: 'histogram', x, cumulative: { enabled: true } }]),
      WITH_OUTLIER,
      AGES,
    );
  });

  test('a date axis counts each value (calendar bins are not followed)', () => {
    const ms = (xs: number[]): number[] => xs.map((a) => Date.UTC(2000 + (a % 5), 0, 1));
    heldUnderSomeBinning(
      (x) => figure([{ type: 'histogram', x }], { xaxis: { type: 'date' } }),
      [...ms(AGES), Date.UTC(2030, 0, 1)],
      ms(AGES),
    );
  });

  test('xbins on a log axis are powers of ten: past xbins.end nothing is drawn', () => {
    heldUnderSomeBinning(
      (end) =>
        figure([{ type: 'histogram', x: WITH_OUTLIER, xbins: { start: 1, end, size: 5 } }], {
          xaxis: { type: 'log' },
        }),
      2,
      1.7,
    );
  });

  test('numbers on a category axis are counted per category', () => {
    heldUnderSomeBinning(
      (x) => figure([{ type: 'histogram', x }], { xaxis: { type: 'category' } }),
      [...AGES.map((a) => a % 5), 7],
      AGES.map((a) => a % 5),
    );
  });
});
