/**
 * Plotly traces that draw values the bar and pie readers never see, read as tables
 * (plot-drawn-values.ts): `table` traces (go.Table, ff.create_table) as the table they draw,
 * indicators as a count drawn as a label, waterfalls and polar bars as bar series. Each small
 * count is held under small-cell; the same figure without one passes.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { checkOutput } from '@privet/core/review/index';
import { f8, figure, heldOnlyWhenSmall, holding } from './plotly-output.js';

const DIAGNOSES = ['HIV', 'flu'];

/** A count table drawn as a plotly table: diagnosis and count columns. */
const countTable = (counts: unknown, cells: Record<string, unknown> = {}) =>
  figure([
    {
      type: 'table',
      header: { values: ['diagnosis', 'count'] },
      cells: { values: [DIAGNOSES, counts], ...cells },
    },
  ]);

describe('table traces are read as the table they draw', () => {
  test('a count table drawn as a table', () => {
    heldOnlyWhenSmall(countTable, [2, 100], [200, 100]);
  });

  test('an HTML header, and headers of several lines', () => {
    const make = (counts: number[], header: unknown[]) =>
      figure([
        { type: 'table', header: { values: header }, cells: { values: [DIAGNOSES, counts] } },
      ]);
    heldOnlyWhenSmall(
      (c: number[]) => make(c, ['<b>diagnosis</b>', '<b>count</b>']),
      [2, 100],
      [200, 100],
    );
    heldOnlyWhenSmall(
      (c: number[]) =>
        make(c, [
          ['', 'diagnosis'],
          ['patients', 'count'],
        ]),
      [2, 100],
      [200, 100],
    );
  });

  test('HTML cells are read as drawn', () => {
    heldOnlyWhenSmall(countTable, ['<b>2</b>', '100'], ['<b>200</b>', '100']);
  });

  test('columns of unequal length are padded with blanks', () => {
    const make = (counts: number[]) =>
      figure([
        {
          type: 'table',
          header: { values: ['diagnosis', 'count', 'note'] },
          cells: { values: [['HIV', 'flu', 'measles'], counts, ['checked']] },
        },
      ]);
    heldOnlyWhenSmall(make, [120, 100, 3], [120, 100, 300]);
  });

  test('typed-array columns, and cells given as one 2-D typed array', () => {
    heldOnlyWhenSmall(countTable, f8([2, 100]), f8([200, 100]));
    const grid = (xs: number[]) =>
      figure(
        [
          {
            type: 'table',
            header: { values: ['HIV', 'flu'] },
            cells: { values: { ...f8(xs), shape: '2, 2' } },
          },
        ],
        { title: { text: 'patient counts' } },
      );
    heldOnlyWhenSmall(grid, [2, 100, 120, 90], [200, 100, 120, 90]);
  });

  test('a column that does not decode holds the output', () => {
    const broken = countTable({ dtype: 'f8', bdata: '!!' });
    assert.ok(holding(broken).includes('malformed'));
  });

  test('a columnorder drawing the label column first makes a crosstab', () => {
    const make = (hiv: number) =>
      figure([
        {
          type: 'table',
          columnorder: [1, 2, 0],
          header: { values: ['HIV', 'flu', 'region'] },
          cells: {
            values: [
              [hiv, 120],
              [100, 90],
              ['North', 'South'],
            ],
          },
        },
      ]);
    heldOnlyWhenSmall(make, 2, 200);
  });

  test("a '%' suffix draws a percentage: small only of a stated total", () => {
    assert.deepEqual(holding(countTable([2, 98], { suffix: [null, '%'] })), []);
    const stated = (share: number) =>
      figure(
        [
          {
            type: 'table',
            header: { values: ['diagnosis', 'share'] },
            cells: { values: [DIAGNOSES, [share, 100 - share]], suffix: ['', '%'] },
          },
        ],
        { title: { text: 'Diagnoses, N = 1000' } },
      );
    heldOnlyWhenSmall(stated, 0.2, 20);
  });

  test('a format draws the number rounded as plotly draws it', () => {
    heldOnlyWhenSmall(
      (c: number[]) => countTable(c, { format: [null, '.0f'] }),
      [2.4, 100],
      [200.4, 100],
    );
    assert.deepEqual(holding(countTable([0.02, 0.98], { format: [null, '.0%'] })), []);
  });

  test('an email in a cell is found by the identifier scan', () => {
    const out = figure([
      {
        type: 'table',
        header: { values: ['name', 'contact'] },
        cells: { values: [['Ann'], ['ann.smith@example.org']] },
      },
    ]);
    assert.ok(holding(out).includes('email'));
  });

  test('row-level data of a masked view drawn as a table', () => {
    const view = {
      name: 'patients_masked',
      tier: 'masked',
      quasiIdentifiers: ['age_band', 'sex', 'zip'],
      columns: ['patient_id', 'age_band', 'sex', 'zip', 'diagnosis'],
    };
    const out = figure([
      {
        type: 'table',
        header: { values: ['patient_id', 'age_band', 'sex', 'zip'] },
        cells: {
          values: [
            ['tok_a1', 'tok_b2', 'tok_c3'],
            ['30-39', '40-49', '30-39'],
            ['F', 'M', 'F'],
            ['021', '021', '100'],
          ],
        },
      },
    ]);
    const rules = (ctx = {}) =>
      checkOutput(out, ctx)
        .findings.filter((f) => f.severity !== 'info')
        .map((f) => f.rule);
    assert.deepEqual(rules({ viewsUsed: [view] }), ['row-level']);
    assert.deepEqual(rules(), []);
  });

  test('dominance over contribution columns drawn as a table', () => {
    const make = (top1: number) =>
      figure([
        {
          type: 'table',
          header: { values: ['firm', 'total', 'top1', 'top2'] },
          cells: { values: [['a'], [1000], [top1], [50]] },
        },
      ]);
    assert.deepEqual(holding(make(880)), ['dominance']);
    assert.deepEqual(holding(make(500)), []);
  });
});

describe('indicators draw a count as a label', () => {
  test('mode number', () => {
    heldOnlyWhenSmall(
      (value: number) =>
        figure([
          { type: 'indicator', mode: 'number', value, title: { text: 'patients with HIV' } },
        ]),
      3,
      300,
    );
  });

  test('mode gauge+number, and a gauge alone', () => {
    heldOnlyWhenSmall(
      (value: number) => figure([{ type: 'indicator', mode: 'gauge+number', value }]),
      3,
      300,
    );
    heldOnlyWhenSmall(
      (value: number) => figure([{ type: 'indicator', mode: 'gauge', value }]),
      3,
      300,
    );
  });

  test('the delta reference, and the change drawn', () => {
    const make = (value: number, reference: number, relative = false) =>
      figure([{ type: 'indicator', mode: 'number+delta', value, delta: { reference, relative } }]);
    heldOnlyWhenSmall((reference: number) => make(300, reference), 2, 200);
    heldOnlyWhenSmall((value: number) => make(value, 200), 203, 300);
    assert.deepEqual(holding(make(203, 200, true)), []);
  });

  test('a value that is no whole number is no count; a percentage suffix draws a share', () => {
    assert.deepEqual(holding(figure([{ type: 'indicator', value: 3.5 }])), []);
    assert.deepEqual(
      holding(figure([{ type: 'indicator', value: 3, number: { suffix: '%' } }])),
      [],
    );
  });

  test('finding messages carry no value', () => {
    const out = figure([{ type: 'indicator', value: 3, title: { text: 'patients' } }]);
    for (const f of checkOutput(out).findings) assert.doesNotMatch(f.message, /\b3\b(?! \()/);
  });
});

describe('waterfalls and polar bars are read as bars', () => {
  test('a waterfall of counts', () => {
    heldOnlyWhenSmall(
      (y: number[]) => figure([{ type: 'waterfall', x: DIAGNOSES, y }]),
      [2, 100],
      [200, 100],
    );
  });

  test("a 'total' bar draws the running sum; a drop is read by its size", () => {
    const make = (y: (number | null)[]) =>
      figure([
        {
          type: 'waterfall',
          x: ['start', 'left', 'joined', 'end'],
          measure: ['absolute', 'relative', 'relative', 'total'],
          y,
        },
      ]);
    heldOnlyWhenSmall(make, [200, -150, -48, null], [200, -150, -40, null]);
    heldOnlyWhenSmall(make, [200, -2, 100, null], [200, -20, 100, null]);
  });

  test('a horizontal waterfall', () => {
    heldOnlyWhenSmall(
      (x: number[]) => figure([{ type: 'waterfall', orientation: 'h', y: DIAGNOSES, x }]),
      [2, 100],
      [200, 100],
    );
    heldOnlyWhenSmall((x: number[]) => figure([{ type: 'waterfall', x }]), [2, 100], [200, 100]);
  });

  test('a barpolar draws r over theta', () => {
    heldOnlyWhenSmall(
      (r: unknown) => figure([{ type: 'barpolar', theta: DIAGNOSES, r }]),
      [2, 100],
      [200, 100],
    );
    heldOnlyWhenSmall(
      (r: unknown) => figure([{ type: 'barpolar', theta: DIAGNOSES, r }]),
      f8([2, 100]),
      f8([200, 100]),
    );
  });
});

describe('choropleths are read as a value per location', () => {
  const STATES = ['CA', 'NV'];
  test('a count map (px.choropleth of a count), also as typed arrays and on map tiles', () => {
    for (const type of ['choropleth', 'choroplethmapbox', 'choroplethmap'])
      heldOnlyWhenSmall(
        (z: unknown) => figure([{ type, locations: STATES, z }]),
        [2, 100],
        [200, 100],
      );
    heldOnlyWhenSmall(
      (z: unknown) => figure([{ type: 'choropleth', locations: STATES, z }]),
      f8([2, 100]),
      f8([200, 100]),
    );
  });

  test('amounts pass: values that are not whole, or a colour bar naming what is drawn', () => {
    assert.deepEqual(
      holding(figure([{ type: 'choropleth', locations: STATES, z: [2.5, 100.1] }])),
      [],
    );
    assert.deepEqual(
      holding(
        figure([
          {
            type: 'choropleth',
            locations: STATES,
            z: [2, 100],
            colorbar: { title: { text: 'mean temperature' } },
          },
        ]),
      ),
      [],
    );
  });
});
