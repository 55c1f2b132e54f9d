/**
 * SVG text is read where it is drawn: a table whose rows are placed by `translate(…)` on groups or
 * text elements, or by `dy`, is read as rows like one written at one `y` (before, each cell was a
 * line of its own, so the table rules found no table); what cannot be placed for certain (a turn,
 * a scale, `em`, CSS) is read as before. And a number in a tick or axis group is exempt from the
 * count rule only when the numbers of that axis read as tick labels — as matplotlib, plotly, vega
 * and d3 draw them — not because of the group's name (before, `<g class="tick">2</g>` passed).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { checkOutput, type NotebookOutput } from '@privet/core/review/index';
import { svgText } from '@privet/core/review/svg-text';
import { svg } from './svg-fixture.js';

/** The small-cell findings read in the SVG's text (count labels and table cells). */
const drawnCounts = (o: NotebookOutput): string[] =>
  checkOutput(o)
    .findings.filter((f) => f.rule === 'small-cell' && f.mime === 'image/svg+xml (SVG text)')
    .map((f) => f.message);

/** Whether the table rules read a column "patients" with a small count in the SVG's text. */
const tableRead = (o: NotebookOutput): boolean =>
  checkOutput(o).findings.some(
    (f) => f.mime === 'image/svg+xml (SVG text)' && /column "patients"/.test(f.message),
  );

const TABLE = [
  ['diagnosis', 'patients'],
  ['influenza', '120'],
  ['asthma', '2'],
  ['sarcoidosis', '310'],
];
const ROWS = TABLE.map((r) => r.join('  ')).join('\n');
const rowsOf = (body: string): string | undefined =>
  svgText(`<svg xmlns="http://www.w3.org/2000/svg">${body}</svg>`, true)?.rows;
const table = (cell: (text: string, row: number, column: number) => string): string =>
  TABLE.map((r, row) => r.map((t, column) => cell(t, row, column)).join('')).join('');

describe('a table is read where its rows are drawn', () => {
  test('the same table written at one y per row (as before)', () => {
    const body = table((t, r, c) => `<text x="${10 + 90 * c}" y="${20 + 20 * r}">${t}</text>`);
    assert.equal(rowsOf(body), ROWS);
    assert.ok(tableRead(svg(body)));
  });

  const placed: [string, string][] = [
    [
      'rows as groups moved by translate',
      TABLE.map(
        (r, row) =>
          `<g transform="translate(0,${20 + 20 * row})">` +
          r.map((t, c) => `<text x="${10 + 90 * c}">${t}</text>`).join('') +
          '</g>',
      ).join(''),
    ],
    [
      'each text moved by translate (as vega draws text marks)',
      table((t, r, c) => `<text transform="translate(${10 + 90 * c},${20 + 20 * r})">${t}</text>`),
    ],
    [
      'each text moved by dy',
      table((t, r, c) => `<text x="${10 + 90 * c}" dy="${20 + 20 * r}">${t}</text>`),
    ],
    [
      'one text element, its lines moved by dy',
      `<text x="10" y="20">${TABLE.map(
        (r, row) =>
          `<tspan x="10"${row > 0 ? ' dy="20"' : ''}>${r[0]}</tspan><tspan x="100">${r[1]}</tspan>`,
      ).join('')}</text>`,
    ],
    [
      'nested groups, a translation matrix, px, lists, identity turns and scales',
      '<g transform="translate(0 100)"><g transform="matrix(1 0 0 1 0 -80) rotate(0) scale(1)">' +
        table(
          (t, r, c) =>
            `<a href="#r" transform="translate(0 ${5 * c})"><text x="${10 + 90 * c} 20 30" y="${20 * r - 5 * c}px 5" transform="rotate(-0 3 4)">${t}</text></a>`,
        ) +
        '</g></g>',
    ],
  ];
  for (const [name, body] of placed)
    test(name, () => {
      assert.equal(rowsOf(body), ROWS);
      assert.ok(tableRead(svg(body)), 'the count column is read as a table column');
    });

  test('text written at one y but drawn on different rows is not joined', () => {
    assert.equal(
      rowsOf(
        '<g transform="translate(0,40)"><text y="0">a</text></g><g transform="translate(0,60)"><text y="0">b</text></g>',
      ),
      'a\nb',
    );
  });
});

describe('what cannot be placed for certain is read as before (fails closed)', () => {
  const sameY = table((t, r, c) => `<text x="${10 + 90 * c}" y="${20 + 20 * r}">${t}</text>`);
  for (const wrap of [
    'rotate(30)',
    'scale(2)',
    'skewX(10)',
    'matrix(0 1 -1 0 0 0)',
    'translate(10%)',
    'translate(0 20) rotate(90 5 5)',
    'unknown(1)',
  ])
    test(`a table written at one y per row inside transform="${wrap}"`, () => {
      const body = `<g transform="${wrap}">${sameY}</g>`;
      assert.equal(rowsOf(body), ROWS);
      assert.ok(tableRead(svg(body)));
    });

  test('em, percentages, text paths, nested <svg> and CSS: rows by the y written, labels kept', () => {
    const cases = [
      // Placed by em/percent: cells written at one y stay joined.
      table((t, r, c) => `<text x="${10 + 90 * c}" y="${20 + 20 * r}" dy="0.3em">${t}</text>`),
      table((t, r, c) => `<text x="${10 + 90 * c}" y="${20 + 20 * r}" dy="${c}%">${t}</text>`),
      `<svg x="5" y="${7}" viewBox="0 0 10 10">${sameY}</svg>`,
      `<style>text { transform: translate(0, 40px) }</style>${sameY}`,
      `<style>text { TRANSFORM : translate(0, 40px) }</style>${sameY}`,
      `${sameY.replace('<text x="100" y="60">', '<text x="100" y="60"><textPath href="#p">')}`,
    ];
    for (const body of cases) {
      assert.match(rowsOf(body) ?? '', /asthma {2}2/, body);
      assert.ok(tableRead(svg(body)), body);
    }
    // Cells not written at one y, in an unknown placement: lines of their own, as before; the
    // count is still a label, never dropped.
    const scaled = `<g transform="scale(3)">${TABLE.map(
      (r, row) =>
        `<g transform="translate(0,${20 * row})">` +
        r.map((t, c) => `<text x="${90 * c}">${t}</text>`).join('') +
        '</g>',
    ).join('')}</g>`;
    assert.equal(rowsOf(scaled), TABLE.flat().join('\n'));
    assert.equal(drawnCounts(svg(scaled)).length, 1);
    // CSS may move what the attributes place: the same translated rows are then not joined.
    assert.equal(
      rowsOf(`<style>.r { translate: 0 9px }</style>${placed0()}`),
      TABLE.flat().join('\n'),
    );
  });
});

/** The first placed table (rows as translated groups, no y written). */
function placed0(): string {
  return TABLE.map(
    (r, row) =>
      `<g class="r" transform="translate(0,${20 + 20 * row})">` +
      r.map((t, c) => `<text x="${10 + 90 * c}">${t}</text>`).join('') +
      '</g>',
  ).join('');
}

/** matplotlib (svg.fonttype "none"): each tick a group in the axis group, the text turned by -0. */
const mplAxis = (n: number, values: string[], horizontal: boolean): string =>
  `<g id="matplotlib.axis_${n}">` +
  values
    .map((v, k) => {
      const x = horizontal ? 57.6 + 71.4 * k : 50.6;
      const y = horizontal ? 322.2 : 307.6 - 53.2 * k;
      return (
        `<g id="${horizontal ? 'x' : 'y'}tick_${k + 1}"><g id="line2d_${k + 1}"><use x="${x}" y="${y}"/></g>` +
        `<g id="text_${k + 1}"><text x="${x}" y="${y}" style="font: 10px 'DejaVu Sans'; text-anchor: middle" transform="rotate(-0 ${x} ${y})">${v}</text></g></g>`
      );
    })
    .join('') +
  `<g id="text_label"><text x="236" y="336" transform="rotate(-0 236 336)">${horizontal ? 'visits' : 'count'}</text></g></g>`;

/** matplotlib math text on a log axis: "10" and its exponent as two tspans per tick. */
const mplLogAxis = (exponents: string[]): string =>
  '<g id="matplotlib.axis_1">' +
  exponents
    .map(
      (e, k) =>
        `<g id="xtick_${k + 1}"><g id="text_${k + 1}"><!-- $\\mathdefault{10^{${e}}}$ -->` +
        `<g style="fill: #262626" transform="translate(${60 + 100 * k} 320)"><text>` +
        `<tspan style="font: 10px 'DejaVu Sans'" x="0 6.36" y="-0.7">10</tspan>` +
        `<tspan style="font: 7px 'DejaVu Sans'" x="12.9" y="-4.3">${e}</tspan></text></g></g></g>`,
    )
    .join('') +
  '</g>';

/** plotly (kaleido): an axis layer, each tick a group, the text moved by translate. */
const plotlyAxis = (axis: 'x' | 'y', values: string[]): string =>
  `<g class="${axis}axislayer-above">` +
  values
    .map((v, k) =>
      axis === 'x'
        ? `<g class="xtick"><text text-anchor="middle" x="0" y="433" data-unformatted="${v}" data-math="N" transform="translate(${80 + 121.85 * k},0)" style="font-size: 12px; white-space: pre;">${v}</text></g>`
        : `<g class="ytick"><text text-anchor="end" x="79" y="4.199999999999999" data-unformatted="${v}" data-math="N" transform="translate(0,${420 - 53.3 * k})" style="font-size: 12px; white-space: pre;">${v}</text></g>`,
    )
    .join('') +
  '</g>';

/** vega (altair): an axis mark group, its labels one text mark group, each text translated. */
const vegaAxis = (values: string[]): string =>
  '<g class="mark-group role-axis" role="graphics-symbol"><g transform="translate(0.5,200.5)"><path class="background" d="M0,0h0v0h0Z"/><g>' +
  `<g class="mark-rule role-axis-tick" pointer-events="none">${values.map((_, k) => `<line transform="translate(${40 * k},0)" x2="0" y2="5"/>`).join('')}</g>` +
  `<g class="mark-text role-axis-label" pointer-events="none">${values
    .map(
      (v, k) =>
        `<text text-anchor="middle" transform="translate(${40 * k},15)" font-size="10px" opacity="${k % 2 === 1 ? 0 : 1}">${v}</text>`,
    )
    .join('')}</g>` +
  '<g class="mark-text role-axis-title" pointer-events="none"><text text-anchor="middle" transform="translate(100,30)">count</text></g></g></g></g>';

/** d3.axisBottom: tick groups moved by translate in the group the axis was drawn in. */
const d3Axis = (values: string[], named: boolean): string =>
  `<g${named ? ' class="x axis"' : ''} transform="translate(0,300)" fill="none" font-size="10" text-anchor="middle">` +
  values
    .map(
      (v, k) =>
        `<g class="tick" opacity="1" transform="translate(${30 * k + 0.5},0)"><line stroke="currentColor" y2="6"/><text fill="currentColor" y="9" dy="0.71em">${v}</text></g>`,
    )
    .join('') +
  '</g>';

/** A bar labelled with its count (not in any axis). */
const barLabel = (count: string): string =>
  `<g class="textpoint"><text transform="translate(300,120)">${count}</text></g>`;

describe('a number in a tick or axis group is exempt only when it reads as a tick label', () => {
  test('a lone count, two counts or an uneven set in tick groups is held', () => {
    assert.equal(drawnCounts(svg('<g class="tick"><text x="5" y="9">3</text></g>')).length, 1);
    assert.equal(
      drawnCounts(
        svg(
          '<g class="xtick"><text x="5" y="9">3</text></g><g class="xtick"><text x="50" y="9">5</text></g>',
        ),
      ).length,
      2,
    );
    assert.equal(drawnCounts(svg(mplAxis(2, ['3', '7', '2'], false))).length, 3);
    assert.equal(drawnCounts(svg(plotlyAxis('y', ['4', '1', '8', '12']))).length, 3);
    assert.equal(drawnCounts(svg(vegaAxis(['2']))).length, 1);
    assert.equal(drawnCounts(svg('<text class="axis-label" x="5" y="9">6</text>')).length, 1);
    // A count of its own in a tick group beside a real axis (another parent) is held.
    assert.equal(
      drawnCounts(
        svg(`${d3Axis(['0', '2', '4', '6'], true)}<g><g class="tick"><text>3</text></g></g>`),
      ).length,
      1,
    );
  });

  test('real axes pass: matplotlib, plotly, vega, d3 — linear, log and math text', () => {
    const charts: [string, string][] = [
      [
        'matplotlib',
        mplAxis(1, ['0', '2', '4', '6', '8'], true) +
          mplAxis(2, ['0', '1', '2', '3', '4', '5'], false),
      ],
      [
        'matplotlib decimals and a 2-tick axis',
        mplAxis(1, ['0.0', '2.5', '5.0', '7.5'], true) + mplAxis(2, ['0', '5'], false),
      ],
      ['matplotlib log (math text)', mplLogAxis(['0', '1', '2', '3'])],
      ['matplotlib log with negative exponents', mplLogAxis(['\u22122', '\u22121', '0', '1'])],
      [
        'plotly',
        plotlyAxis('x', ['0', '5', '10', '15', '20']) + plotlyAxis('y', ['0', '2', '4', '6', '8']),
      ],
      [
        'plotly minus signs and SI',
        plotlyAxis('x', ['\u22124', '\u22122', '0', '2', '4']) +
          plotlyAxis('y', ['0', '500k', '1M', '1.5M']),
      ],
      ['plotly log', plotlyAxis('x', ['1', '2', '5', '10', '2', '5', '100', '2', '5'])],
      [
        'plotly log, every digit',
        plotlyAxis('x', ['3', '4', '5', '6', '7', '8', '9', '10', '2', '3', '4']),
      ],
      ['plotly log, decades only', plotlyAxis('y', ['1', '10', '100', '1000'])],
      ['plotly categories 1..7', plotlyAxis('x', ['1', '2', '3', '4', '5', '6', '7'])],
      ['vega', vegaAxis(['0', '5', '10', '15', '20'])],
      ['vega binary categories', vegaAxis(['0', '1'])],
      ['d3', d3Axis(['1', '2', '3', '4', '5', '6', '7'], true)],
      ['d3 without an axis class', d3Axis(['0', '2', '4', '6', '8'], false)],
    ];
    for (const [name, chart] of charts) {
      assert.deepEqual(drawnCounts(svg(chart)), [], name);
      // A bar's count label beside the axes is still held.
      assert.equal(drawnCounts(svg(chart + barLabel('4'))).length, 1, name);
    }
  });

  test('a lone count in a legend is held: a legend exempts only keys (svg-legend-keys.test.ts)', () => {
    assert.equal(
      drawnCounts(
        svg(
          '<g class="legend"><g class="traces" transform="translate(0,14)"><text class="legendtext" x="40" y="4.68">3</text></g></g>',
        ),
      ).length,
      1,
    );
  });
});
