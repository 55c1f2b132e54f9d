/**
 * Vega-lite charts read for the per-group counts they draw (vega-counts.ts): rows in named
 * `datasets` (Altair's default output), counts made by transforms, facet and repeat views, views
 * nested in views, and binned fields read per bin as vega bins them. Each small count is held under
 * small-cell; the same chart without one passes.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { checkOutput, type NotebookOutput } from '@privet/core/review/index';

const V5 = 'application/vnd.vegalite.v5+json';
const V4 = 'application/vnd.vegalite.v4+json';

/** A vega-lite display_data output. */
const chart = (spec: Record<string, unknown>, mime = V5): NotebookOutput => ({
  output_type: 'display_data',
  data: { [mime]: spec },
  metadata: {},
});

/** Rule ids of the findings that hold the output (not info). */
const holding = (o: NotebookOutput): string[] => [
  ...new Set(
    checkOutput(o)
      .findings.filter((f) => f.severity !== 'info')
      .map((f) => f.rule),
  ),
];

/** Asserts `make(small)` is held under small-cell and `make(large)` passes. */
const heldOnlyWhenSmall = <T>(make: (v: T) => NotebookOutput, small: T, large: T): void => {
  assert.deepEqual(holding(make(small)), ['small-cell'], 'with a small count');
  assert.deepEqual(holding(make(large)), [], 'without a small count');
};

/** `n` copies of `v`. */
const times = <T>(n: number, v: T): T[] => Array.from({ length: n }, () => v);

/** 20 rows of d = A and `b` rows of d = B. */
const rows = (b: number): { d: string }[] => [...times(20, { d: 'A' }), ...times(b, { d: 'B' })];

const COUNT_BAR = {
  mark: 'bar',
  encoding: {
    x: { field: 'd', type: 'nominal' },
    y: { aggregate: 'count', type: 'quantitative' },
  },
};

describe('named datasets (Altair writes rows to top-level datasets)', () => {
  test('a unit view over `data: {name}`', () => {
    heldOnlyWhenSmall(
      (b: number) =>
        chart({ data: { name: 'data-abc' }, datasets: { 'data-abc': rows(b) }, ...COUNT_BAR }, V4),
      2,
      12,
    );
  });

  test('layers and concatenated views inherit the named data, or name their own', () => {
    heldOnlyWhenSmall(
      (b: number) =>
        chart({
          data: { name: 'big' },
          datasets: { big: rows(12), other: rows(b) },
          hconcat: [COUNT_BAR, { layer: [{ data: { name: 'other' }, ...COUNT_BAR }] }],
        }),
      2,
      12,
    );
  });
});

describe('counts made by transforms', () => {
  const aggregated = (b: number, extra: unknown[] = []): NotebookOutput =>
    chart({
      data: { values: rows(b) },
      transform: [...extra, { aggregate: [{ op: 'count', as: 'n' }], groupby: ['d'] }],
      mark: 'bar',
      encoding: { x: { field: 'd', type: 'nominal' }, y: { field: 'n', type: 'quantitative' } },
    });

  test('an aggregate transform count drawn as a field', () => {
    heldOnlyWhenSmall((b: number) => aggregated(b), 2, 12);
  });

  test('a joinaggregate count drawn as a field, and a sum of a count field', () => {
    heldOnlyWhenSmall(
      (b: number) =>
        chart({
          data: { values: rows(b) },
          transform: [{ joinaggregate: [{ op: 'count', as: 'n' }], groupby: ['d'] }],
          mark: 'text',
          encoding: { y: { field: 'd' }, text: { field: 'n' } },
        }),
      2,
      12,
    );
    heldOnlyWhenSmall(
      (b: number) =>
        chart({
          data: { values: [...rows(b), ...rows(0)] },
          transform: [
            { aggregate: [{ op: 'count', as: 'n' }], groupby: ['d'] },
            { calculate: "datum.d == 'A' ? 'x' : 'y'", as: 'kind' },
          ],
          mark: 'bar',
          encoding: { x: { field: 'd' }, y: { field: 'n', aggregate: 'sum' } },
        }),
      2,
      12,
    );
  });

  test('a transform not followed before the count: the counts over the rows as given', () => {
    heldOnlyWhenSmall(
      (b: number) => aggregated(b, [{ fold: ['x', 'y'] }, { window: [{ op: 'rank', as: 'r' }] }]),
      2,
      12,
    );
  });

  test('a filter that is read leaves a small group (field predicates and expressions)', () => {
    // 20 A and 20 B rows; the filter keeps all A rows and `b` B rows (those with k < b).
    const data = [
      ...times(20, { d: 'A', k: 0 }),
      ...Array.from({ length: 20 }, (_, k) => ({ d: 'B', k })),
    ];
    for (const filter of [
      (b: number) => ({
        or: [
          { field: 'd', equal: 'A' },
          { field: 'k', lt: b },
        ],
      }),
      (b: number) => `(datum.d === 'A') || (datum.k < ${b})`,
    ])
      heldOnlyWhenSmall(
        (b: number) =>
          chart({ data: { values: data }, transform: [{ filter: filter(b) }], ...COUNT_BAR }),
        2,
        12,
      );
  });

  test('a very long filter expression is read as given, in linear time; so is a prototype field', () => {
    // 20 A rows and 2 B rows; a filter of 40,000 tokens is not evaluated (the rows as given).
    const long = `${"(datum.d === 'A') || ".repeat(8000)}false`;
    assert.deepEqual(
      holding(chart({ data: { values: rows(2) }, transform: [{ filter: long }], ...COUNT_BAR })),
      ['small-cell'],
    );
    // `datum.constructor` is no field of these rows: the filter keeps none, nothing is drawn.
    assert.deepEqual(
      holding(
        chart({
          data: { values: rows(2) },
          transform: [{ filter: 'datum.constructor' }],
          ...COUNT_BAR,
        }),
      ),
      [],
    );
  });
});

describe('facet and repeat', () => {
  /** 12 rows in each (d, g) cell but `b` in (B, h). */
  const cells = (b: number): { d: string; g: string }[] => [
    ...times(12, { d: 'A', g: 'g' }),
    ...times(12, { d: 'B', g: 'g' }),
    ...times(12, { d: 'A', g: 'h' }),
    ...times(b, { d: 'B', g: 'h' }),
  ];

  test('a count per facet cell (facet operator, row/column, encoding.row)', () => {
    const facets = [{ field: 'g', type: 'nominal' }, { row: { field: 'g', type: 'nominal' } }];
    for (const facet of facets)
      heldOnlyWhenSmall(
        (b: number) => chart({ data: { values: cells(b) }, facet, spec: COUNT_BAR }),
        2,
        12,
      );
    heldOnlyWhenSmall(
      (b: number) =>
        chart({
          data: { values: cells(b) },
          mark: 'bar',
          encoding: { ...COUNT_BAR.encoding, column: { field: 'g', type: 'nominal' } },
        }),
      2,
      12,
    );
  });

  test('a repeated spec reads each repeated field', () => {
    heldOnlyWhenSmall(
      (b: number) =>
        chart({
          data: { values: cells(b).map((r) => ({ ...r, e: r.d + r.g })) },
          repeat: ['g', 'e'],
          spec: {
            mark: 'bar',
            encoding: { x: { field: { repeat: 'repeat' } }, y: { aggregate: 'count' } },
          },
        }),
      2,
      12,
    );
  });
});

describe('nested views', () => {
  test('a unit view in layers in concatenated views, inheriting data and encoding', () => {
    heldOnlyWhenSmall(
      (b: number) =>
        chart({
          data: { values: rows(12) },
          vconcat: [
            COUNT_BAR,
            {
              data: { values: rows(b) },
              hconcat: [
                {
                  encoding: COUNT_BAR.encoding,
                  layer: [{ layer: [{ mark: 'bar' }] }, { mark: 'text' }],
                },
              ],
            },
          ],
        }),
      2,
      12,
    );
  });

  test('views nested past the depth read are reported, not passed', () => {
    let spec: Record<string, unknown> = COUNT_BAR;
    for (let i = 0; i < 25; i++) spec = { layer: [spec] };
    assert.deepEqual(holding(chart({ data: { values: rows(12) }, ...spec })), ['malformed']);
  });
});

describe('binned fields are read per bin', () => {
  /** 200 ages spread evenly over 20–79.75 (every value distinct), and the `extra` ones. */
  const ages = (extra: number[]): { age: number }[] => [
    ...Array.from({ length: 200 }, (_, i) => ({ age: 20 + i * 0.3 })),
    ...extra.map((age) => ({ age })),
  ];
  const histogram =
    (bin: unknown) =>
    (extra: number[]): NotebookOutput =>
      chart({
        data: { values: ages(extra) },
        mark: 'bar',
        encoding: { x: { field: 'age', bin }, y: { aggregate: 'count' } },
      });

  test('a histogram of continuous values passes; one lone value far out is a bin of 1', () => {
    heldOnlyWhenSmall(histogram(true), [195], [25]);
    heldOnlyWhenSmall(histogram({ maxbins: 20 }), [195], [25]);
  });

  test('a binned field holding a value that is no number is counted per value', () => {
    assert.deepEqual(holding(histogram(true)(['unknown' as unknown as number])), ['small-cell']);
  });

  test('a bin transform then `bin: binned`', () => {
    heldOnlyWhenSmall(
      (extra: number[]) =>
        chart({
          data: { values: ages(extra) },
          transform: [{ bin: true, field: 'age', as: 'b' }],
          mark: 'bar',
          encoding: {
            x: { field: 'b', bin: 'binned' },
            x2: { field: 'b_end' },
            y: { aggregate: 'count' },
          },
        }),
      [195],
      [25],
    );
  });
});
