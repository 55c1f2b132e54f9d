/**
 * A table drawn column by column — vega's text marks (altair's text-table idiom: one mark group per
 * column, each cell translated to its row's y, the header a title above) or d3 appending all of
 * column 1, then column 2 — has its cells at one drawn y but not written one after another. The
 * reading as written gives each cell a line of its own, so the table rules never saw it (before,
 * only a bare small number was held, as a label). The reader now also reads the placed tokens as a
 * grid (rows by drawn y, tokens by drawn x) after the reading as written, when that grid has a row
 * the written reading lacks. Real charts gain nothing: the tick labels and titles of an axis that
 * reads as one are left out of the grid (two subplots' y ticks at one y are no table), and so are
 * legends; what is not placed for certain stays as it was read.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { checkOutput, type NotebookOutput } from '@privet/core/review/index';
import { svgText } from '@privet/core/review/svg-text';
import { assertLinear } from './linear-growth.js';
import { svg } from './svg-fixture.js';

/** The messages of the findings read in the SVG's text. */
const drawn = (o: NotebookOutput): string[] =>
  checkOutput(o)
    .findings.filter((f) => f.mime === 'image/svg+xml (SVG text)')
    .map((f) => f.message);

const rowsOf = (body: string): string =>
  svgText(`<svg xmlns="http://www.w3.org/2000/svg">${body}</svg>`, true)?.rows ?? '';

/** The grid reading: what follows the empty line after the reading as written ('' when none). */
const gridOf = (body: string): string => {
  const rows = rowsOf(body);
  const at = rows.indexOf('\n\n');
  return at < 0 ? '' : rows.slice(at + 2);
};

/** One column of a vega (altair) text table: a text mark group, its title above, moved across. */
const vegaColumn = (k: number, title: string, cells: readonly string[]): string =>
  `<g class="mark-group role-scope concat_${k}_group" role="graphics-object"><g transform="translate(${102 * k},0)"><g>` +
  `<g class="mark-text role-mark concat_${k}_marks" role="graphics-object">${cells
    .map(
      (c, r) =>
        `<text role="graphics-symbol" text-anchor="middle" transform="translate(40,${13 + 20 * r})" font-family="sans-serif" font-size="11px" fill="black">${c}</text>`,
    )
    .join('')}</g>` +
  '<g class="mark-group role-title"><g transform="translate(40,-17)"><g><g class="mark-text role-title-text" pointer-events="none">' +
  `<text text-anchor="middle" transform="translate(0,10)" font-size="13px" font-weight="bold">${title}</text>` +
  '</g></g></g></g></g></g></g>';

/** An altair hconcat of text columns as vega draws it (frame groups around the columns). */
const vegaTable = (columns: readonly [string, readonly string[]][]): string =>
  '<g fill="none" transform="translate(6,23)"><g class="mark-group role-frame root"><g transform="translate(0,0)"><g>' +
  columns.map(([title, cells], k) => vegaColumn(k, title, cells)).join('') +
  '</g></g></g></g>';

const DIAGNOSES = ['influenza', 'asthma', 'sarcoidosis'];

/** d3 appending one column after another: each text placed by x and y. */
const d3Columns = (columns: readonly [string, readonly string[]][]): string =>
  '<g transform="translate(20,30)">' +
  columns
    .map(([title, cells], c) =>
      [title, ...cells]
        .map((t, r) => `<text class="cell" x="${120 * c}" y="${18 * r}" dy="4">${t}</text>`)
        .join(''),
    )
    .join('') +
  '</g>';

describe('a table drawn column by column is read as a table', () => {
  test('vega text marks: a small count under a "count" header is held as a table cell', () => {
    const body = vegaTable([
      ['diagnosis', DIAGNOSES],
      ['count', ['120', '3', '310']],
    ]);
    assert.equal(
      gridOf(body),
      'diagnosis  count\ninfluenza  120\nasthma  3\nsarcoidosis  310',
      'the grid reading: rows by drawn y, cells by drawn x',
    );
    const found = drawn(svg(body));
    assert.ok(
      found.some((m) => /column "count"/.test(m)),
      `the count column is read as a table column: ${found.join('; ')}`,
    );
    // The same table of large counts is not held.
    const large = vegaTable([
      ['diagnosis', DIAGNOSES],
      ['count', ['120', '340', '310']],
    ]);
    assert.deepEqual(drawn(svg(large)), []);
  });

  test('d3 columns appended one after another (x and y written, moved by a group)', () => {
    const body = d3Columns([
      ['ward', ['north', 'south', 'east']],
      ['n', ['41', '2', '57']],
    ]);
    assert.equal(gridOf(body), 'ward  n\nnorth  41\nsouth  2\neast  57');
    assert.ok(drawn(svg(body)).some((m) => /column "n"/.test(m)));
  });

  test('the reading as written comes first, unchanged; labels point into it', () => {
    const body = vegaTable([
      ['diagnosis', DIAGNOSES],
      ['count', ['120', '3', '310']],
    ]);
    const read = svgText(`<svg xmlns="http://www.w3.org/2000/svg">${body}</svg>`, true);
    const written = [...DIAGNOSES, 'diagnosis', '120', '3', '310', 'count'].join('\n');
    assert.ok(read?.rows.startsWith(`${written}\n\n`));
    assert.deepEqual(read?.labels, [
      { row: 4, column: 0, value: 120 },
      { row: 5, column: 0, value: 3 },
      { row: 6, column: 0, value: 310 },
    ]);
    // Rows already written one after another add no grid.
    const rowWise = ['diagnosis  count', 'asthma  3']
      .map((r, k) =>
        r
          .split('  ')
          .map((t, c) => `<text x="${10 + 90 * c}" y="${20 + 20 * k}">${t}</text>`)
          .join(''),
      )
      .join('');
    assert.equal(rowsOf(rowWise), 'diagnosis  count\nasthma  3');
  });

  test('what is not placed for certain stays out of the grid (read as before)', () => {
    const table = vegaTable([
      ['diagnosis', DIAGNOSES],
      ['count', ['120', '3', '310']],
    ]);
    for (const wrap of ['scale(2)', 'rotate(30)', 'translate(10%)'])
      assert.equal(gridOf(`<g transform="${wrap}">${table}</g>`), '', wrap);
    // CSS that may move text, a text path, a tspan going on after text drawn (x not known).
    assert.equal(gridOf(`<style>text { transform: none }</style>${table}`), '');
    // A tspan placed by y alone goes on across after "x": its x is not known, so "1" and "2" stay
    // out of the grid ("a" and "b" beside the "x"s, written apart, form one).
    const afterText =
      ['a', 'b'].map((t, r) => `<text x="0" y="${20 * r}">${t}</text>`).join('') +
      ['1', '2']
        .map((t, r) => `<text x="0" y="${20 * r}">x<tspan y="${20 * r}">${t}</tspan></text>`)
        .join('');
    assert.equal(gridOf(afterText), 'a  x\nb  x');
    // Places past the largest number (no finite y or x) are no place.
    const far = ['1e999', '-1e999']
      .map(
        (y, r) => `<g transform="translate(0,${y})"><text y="${r}">a${r}</text></g><text>c</text>`,
      )
      .join('');
    assert.equal(gridOf(`<g transform="translate(1e999,0)">${far}</g>`), '');
    // Still a label: the count rule reads what it read before.
    assert.equal(
      drawn(svg(`<g transform="scale(2)">${table}</g>`)).filter((m) => /as a label/.test(m)).length,
      1,
    );
  });
});

/** matplotlib (svg.fonttype none): a y axis of tick groups, each text at its own y. */
const mplYAxis = (n: number, x: number, values: readonly string[]): string =>
  `<g id="matplotlib.axis_${n}">` +
  values
    .map(
      (v, k) =>
        `<g id="ytick_${k + 1}"><g id="line2d_${k + 1}"><use x="${x}" y="${300 - 40 * k}"/></g>` +
        `<g id="text_${k + 1}"><text x="${x - 7}" y="${303.8 - 40 * k}" transform="rotate(-0 ${x - 7} ${303.8 - 40 * k})" style="font-size: 10px; text-anchor: end">${v}</text></g></g>`,
    )
    .join('') +
  '</g>';

/** matplotlib: an x axis of categories at one y. */
const mplXAxis = (n: number, x0: number, values: readonly string[]): string =>
  `<g id="matplotlib.axis_${n}">` +
  values
    .map(
      (v, k) =>
        `<g id="xtick_${k + 1}"><g id="text_${k + 1}"><text x="${x0 + 60 * k}" y="322.2" transform="rotate(-0 ${x0 + 60 * k} 322.2)" style="text-anchor: middle">${v}</text></g></g>`,
    )
    .join('') +
  '</g>';

/** matplotlib subplot `k`: axes, a title, bars labelled with their (large) counts. */
const mplSubplot = (k: number, title: string, labels: readonly string[]): string => {
  const x0 = 60 + 300 * k;
  return (
    `<g id="axes_${k + 1}">` +
    mplXAxis(1, x0, ['north', 'south', 'east']) +
    mplYAxis(2, x0 - 10, ['0', '1', '2', '3', '4', '5']) +
    labels
      .map(
        (v, b) =>
          `<g id="text_b${b}"><text x="${x0 + 60 * b}" y="${120 + 20 * b}" transform="rotate(-0 ${x0 + 60 * b} ${120 + 20 * b})">${v}</text></g>`,
      )
      .join('') +
    `<g id="text_t${k}"><text x="${x0 + 60}" y="40" transform="rotate(-0 ${x0 + 60} 40)">${title}</text></g>` +
    '</g>'
  );
};

/** vega: a numeric axis (its labels one text mark group, each translated), and its title. */
const vegaAxis = (values: readonly string[], title: string): string =>
  '<g class="mark-group role-axis"><g transform="translate(0.5,200.5)"><g>' +
  `<g class="mark-text role-axis-label" pointer-events="none">${values
    .map((v, k) => `<text text-anchor="middle" transform="translate(${40 * k},15)">${v}</text>`)
    .join('')}</g>` +
  `<g class="mark-text role-axis-title"><text text-anchor="middle" transform="translate(100,30)">${title}</text></g></g></g></g>`;

/** vega bar labels (a text mark layered over bars), drawn at the bars' tops. */
const vegaBarLabels = (values: readonly [string, number][]): string =>
  `<g class="mark-text role-mark layer_1_marks">${values
    .map(
      ([v, y], k) =>
        `<text text-anchor="middle" transform="translate(${20 + 40 * k},${y})">${v}</text>`,
    )
    .join('')}</g>`;

/** A vertical legend (vega), titled "count". */
const vegaLegend =
  '<g class="mark-group role-legend"><g transform="translate(300,0)"><g class="mark-text role-legend-title"><text transform="translate(0,9)">count</text></g>' +
  ['2', '4', '6', '8']
    .map(
      (v, k) =>
        `<g class="mark-text role-legend-label"><text transform="translate(16,${30 + 40 * k})">${v}</text></g>`,
    )
    .join('') +
  '</g></g>';

describe('real chart shapes gain nothing from the grid reading', () => {
  test('two subplots titled "count": their y ticks at one y are no table', () => {
    const body =
      mplSubplot(0, 'count', ['120', '240', '310']) + mplSubplot(1, 'count', ['130', '250', '300']);
    // The tick labels are left out of the grid; without that, rows "5  5" … "0  0" under
    // "count  count" would read as a table of small counts.
    assert.doesNotMatch(gridOf(body), /^[0-5] {2}[0-5]$/m);
    assert.deepEqual(drawn(svg(body)), []);
  });

  test('vega: axis labels, bar labels at one y, a legend titled "count"', () => {
    const body =
      vegaAxis(['0', '20', '40', '60', '80'], 'count') +
      vegaBarLabels([
        ['45', 120],
        ['300', 40],
        ['45', 120],
        ['80', 100],
        ['80', 100],
      ]) +
      vegaLegend;
    assert.notEqual(gridOf(body), '', 'bar labels at one y, not one after another: a grid');
    assert.doesNotMatch(gridOf(body), /\b20\b|\b2\b/, 'axis labels and legends stay out of it');
    assert.deepEqual(drawn(svg(body)), []);
  });

  test('a small bar label is held once, as a label, as before', () => {
    const body =
      vegaAxis(['0', '20', '40', '60', '80'], 'count') +
      vegaBarLabels([
        ['3', 190],
        ['300', 40],
        ['3', 190],
      ]);
    assert.equal(gridOf(body), '300\n3  3');
    assert.deepEqual(
      drawn(svg(body)).map((m) => /as a label/.test(m)),
      [true, true],
    );
  });
});

describe('the grid reading stays n log n', () => {
  const columnByColumn = (n: number): string => {
    let a = '';
    let b = '';
    for (let k = 0; k < n; k++) {
      a += `<text x="0" y="${k}">r${k % 97}</text>`;
      b += `<text x="50" y="${k}">${k % 13}</text>`;
    }
    return `<svg>${a}${b}</svg>`;
  };
  /** All at one y, written in an order unlike their x (the sort does the work). */
  const oneRow = (n: number): string => {
    let s = '<svg>';
    for (let k = 0; k < n; k++) s += `<text x="${(k * 7919) % n}" y="5">c</text><text>${k}</text>`;
    return `${s}</svg>`;
  };
  for (const [name, make] of [
    ['columns drawn one after another', columnByColumn],
    ['one row written out of order', oneRow],
  ] as const)
    test(`near-linear: ${name}`, () => {
      assert.notEqual(svgText(make(10_000), false)?.rows.indexOf('\n\n'), -1, 'a grid is read');
      // n log n is ~9.5× at 8× the input; quadratic growth ~64×.
      assertLinear(make, (s) => svgText(s, false), 10_000, name, 2);
    });
});
