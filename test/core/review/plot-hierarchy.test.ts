/**
 * Plotly traces that draw counts of groups (plot-hierarchy.ts, plot-parcats.ts): a sunburst,
 * treemap or icicle draws a value per node (px.sunburst(path=…) sends each node's row count), and
 * a parcats (px.parallel_categories) a band per category and per path sized by its rows. A small
 * node, category or path is held under small-cell; the same figure without one passes.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { NotebookOutput } from '@privet/core/review/index';
import { f8, figure, heldOnlyWhenSmall, holding } from './plotly-output.js';

/**
 * As `heldOnlyWhenSmall`, where the small figure draws `groups` small groups (a small leaf and the
 * branch over it, a small category and its paths), each a small-cell finding.
 */
const heldForGroups = <T>(
  make: (v: T) => NotebookOutput,
  small: T,
  large: T,
  groups: number,
): void => {
  assert.deepEqual(holding(make(small)), Array<string>(groups).fill('small-cell'), 'small');
  assert.deepEqual(holding(make(large)), [], 'without a small count');
};

const HIERARCHIES = ['sunburst', 'treemap', 'icicle'];

describe('hierarchies (sunburst, treemap, icicle)', () => {
  for (const type of HIERARCHIES)
    test(`${type}: a node of 2 under branchvalues 'total' is held`, () =>
      heldOnlyWhenSmall(
        (hiv: number) =>
          figure([
            {
              type,
              labels: ['all', 'HIV', 'flu'],
              parents: ['', 'all', 'all'],
              values: [100 + hiv, hiv, 100],
              branchvalues: 'total',
            },
          ]),
        2,
        40,
      ));

  test("'remainder' (the default): a branch draws its own value plus its descendants'", () => {
    // The leaves are 30 and 40; the branch 'rare' has own value 0, so draws its leaves' sum.
    const tree = (rareLeaf: number): ReturnType<typeof figure> =>
      figure([
        {
          type: 'sunburst',
          labels: ['all', 'common', 'rare', 'flu', 'HIV'],
          parents: ['', 'all', 'all', 'common', 'rare'],
          values: [0, 0, 0, 300, rareLeaf],
        },
      ]);
    heldForGroups(tree, 3, 30, 2);
    // Read as 'total', the same values draw the branch 'rare' as 0 (nothing) and its leaf as 30:
    // under 'remainder' the leaf's own 3 makes the branch draw 3 as well.
    assert.deepEqual(
      holding(
        figure([
          {
            type: 'sunburst',
            labels: ['all', 'rare', 'HIV'],
            parents: ['', 'all', 'rare'],
            values: [200, 1, 30],
          },
        ]),
      ),
      [],
      "'remainder': the branch draws 1 + 30 = 31, the root 231",
    );
    heldOnlyWhenSmall(
      (rare: number) =>
        figure([
          {
            type: 'sunburst',
            labels: ['all', 'rare', 'HIV'],
            parents: ['', 'all', 'rare'],
            values: [231, rare, 30],
            branchvalues: 'total',
          },
        ]),
      // Under 'total' a branch below its children's sum draws nothing in plotly.js; its own
      // values are read all the same (fail closed).
      1,
      31,
    );
  });

  test('px-like JSON: ids as paths, parents as ids, domain and hovertemplate', () =>
    heldOnlyWhenSmall(
      (small: number) =>
        figure([
          {
            type: 'treemap',
            ids: ['F/HIV', 'F/flu', 'M/HIV', 'M/flu', 'F', 'M'],
            labels: ['HIV', 'flu', 'HIV', 'flu', 'F', 'M'],
            parents: ['F', 'F', 'M', 'M', '', ''],
            values: [small, 120, 40, 110, 120 + small, 150],
            branchvalues: 'total',
            domain: { x: [0, 1], y: [0, 1] },
            hovertemplate: 'labels=%{label}<br>count=%{value}<br>parent=%{parent}<extra></extra>',
            name: '',
          },
        ]),
      2,
      25,
    ));

  test('a root implied by the parents (no root item) is a node too', () =>
    heldForGroups(
      (hiv: number) =>
        figure([
          { type: 'icicle', labels: ['HIV', 'flu'], parents: ['all', 'all'], values: [hiv, 0] },
        ]),
      // The implied root 'all' draws hiv + 0: small exactly when the leaf is.
      2,
      50,
      2,
    ));

  test('values plotly.js draws no hierarchy from (a cycle, a repeated id) are read each', () => {
    heldOnlyWhenSmall(
      (a: number) =>
        figure([{ type: 'sunburst', labels: ['a', 'b'], parents: ['b', 'a'], values: [a, 100] }]),
      2,
      20,
    );
    heldOnlyWhenSmall(
      (a: number) =>
        figure([
          {
            type: 'treemap',
            labels: ['all', 'a', 'a'],
            parents: ['', 'all', 'all'],
            values: [0, a, 100],
          },
        ]),
      2,
      20,
    );
  });

  test('typed arrays (plotly.py ≥ 6): values as f8', () =>
    heldOnlyWhenSmall(
      (hiv: number) =>
        figure([
          {
            type: 'sunburst',
            labels: ['all', 'HIV', 'flu'],
            parents: ['', 'all', 'all'],
            values: f8([100 + hiv, hiv, 100]),
            branchvalues: 'total',
          },
        ]),
      2,
      40,
    ));

  test('without values plotly.js counts leaves: a branch of 2 leaves is held, leaves are not', () =>
    heldOnlyWhenSmall(
      (n: number) =>
        figure([
          {
            type: 'treemap',
            labels: ['ward', ...Array.from({ length: n }, (_, i) => `p${i}`)],
            parents: ['', ...Array.from({ length: n }, () => 'ward')],
          },
        ]),
      2,
      12,
    ));

  test('a count of 2 is held; amounts (not whole numbers), holes and zeros read no count', () => {
    const tree = (values: unknown[]): ReturnType<typeof figure> =>
      figure([
        { type: 'sunburst', labels: ['all', 'a', 'b'], parents: ['', 'all', 'all'], values },
      ]);
    assert.deepEqual(holding(tree([0, 2, 100])), ['small-cell'], 'a count of 2');
    assert.deepEqual(holding(tree([0, 2.5, 100.25])), [], 'amounts');
    assert.deepEqual(holding(tree([0, 0, 100])), [], 'a zero draws nothing');
    assert.deepEqual(holding(tree([0, null, 100])), [], 'a hole draws nothing');
    assert.deepEqual(holding(tree([0, -2, 100])), [], 'a negative value draws nothing');
  });
});

/** Rows of a px.parallel_categories figure: `dx` with 30 flu and `hiv` HIV, `sex` alternating. */
const parcatsRows = (hiv: number): { dx: string[]; sex: string[] } => {
  const dx = [
    ...Array.from({ length: 30 }, () => 'flu'),
    ...Array.from({ length: hiv }, () => 'HIV'),
  ];
  return { dx, sex: dx.map((_, i) => (i % 2 === 0 ? 'F' : 'M')) };
};

describe('parallel categories (parcats)', () => {
  test('a category of 2 rows (and its paths, of 1 each) is held', () =>
    heldForGroups(
      (hiv: number) => {
        const { dx, sex } = parcatsRows(hiv);
        return figure([
          {
            type: 'parcats',
            dimensions: [
              { label: 'dx', values: dx },
              { label: 'sex', values: sex },
            ],
            domain: { x: [0, 1], y: [0, 1] },
            hovertemplate: 'count=%{count}<extra></extra>',
          },
        ]);
      },
      2,
      30,
      3,
    ));

  test('paths of 1 row are held though every category is large', () =>
    heldForGroups(
      (odd: number) => {
        // 40 F and 40 M, 40 flu and 40 HIV; (F, HIV) is a path of `odd` rows.
        const dx = [...Array<string>(40).fill('flu'), ...Array<string>(40).fill('HIV')];
        const sex = [
          ...Array<string>(40 - odd).fill('F'),
          ...Array<string>(odd).fill('M'),
          ...Array<string>(odd).fill('F'),
          ...Array<string>(40 - odd).fill('M'),
        ];
        return figure([
          {
            type: 'parcats',
            dimensions: [
              { label: 'dx', values: dx },
              { label: 'sex', values: sex },
            ],
          },
        ]);
      },
      1,
      20,
      2,
    ));

  test('typed arrays: a dimension of f8 codes, and ticktext relabelling its categories', () =>
    heldOnlyWhenSmall(
      (hiv: number) =>
        figure([
          {
            type: 'parcats',
            dimensions: [
              {
                label: 'dx',
                values: f8([...Array<number>(30).fill(0), ...Array<number>(hiv).fill(1)]),
                categoryarray: [0, 1],
                ticktext: ['flu', 'HIV'],
              },
            ],
          },
        ]),
      2,
      30,
    ));

  test('an array line.color splits paths by color, as plotly.js draws them', () => {
    const dims = [{ label: 'dx', values: Array<string>(40).fill('flu') }];
    heldOnlyWhenSmall(
      (color: unknown) => figure([{ type: 'parcats', dimensions: dims, line: { color } }]),
      [...Array<number>(39).fill(0), 1],
      [...Array<number>(20).fill(0), ...Array<number>(20).fill(1)],
    );
  });

  test('counts weigh the rows: a number, a list, and a typed array', () => {
    const dims = [{ label: 'dx', values: ['flu', 'HIV'] }];
    heldOnlyWhenSmall(
      (hiv: number) => figure([{ type: 'parcats', dimensions: dims, counts: [500, hiv] }]),
      2,
      40,
    );
    // Every row weighs `each`: 20 flu rows and 1 HIV row draw 20 × each and each.
    const fluAndOne = [{ label: 'dx', values: [...Array<string>(20).fill('flu'), 'HIV'] }];
    heldOnlyWhenSmall(
      (each: number) => figure([{ type: 'parcats', dimensions: fluAndOne, counts: each }]),
      3,
      30,
    );
    heldOnlyWhenSmall(
      (hiv: number) => figure([{ type: 'parcats', dimensions: dims, counts: f8([500, hiv]) }]),
      2,
      40,
    );
  });

  test('weights that are no counts fall back to the rows (fail closed)', () => {
    const dims = [{ label: 'dx', values: ['flu', 'HIV'] }];
    // With 500.5 and 40.5 as weights no count is read from them: each row counts 1, so held.
    for (const counts of [[500.5, 40.5], [500, -40], 'many', [500, 'x']])
      assert.deepEqual(
        holding(figure([{ type: 'parcats', dimensions: dims, counts }])),
        ['small-cell', 'small-cell'],
        JSON.stringify(counts),
      );
  });
});
