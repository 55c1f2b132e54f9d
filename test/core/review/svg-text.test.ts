/**
 * Text an SVG draws is read for counts: a chart label "2" over a bar, "n=3" under a chart, a table
 * of counts drawn as rows of <text> at one y, and tooltips (<title>, <desc>) — in image/svg+xml and
 * in an <svg> inside HTML or Markdown, character references decoded and CDATA as written. Before,
 * SVG text was read for identifiers only, so `<text>2</text>` over a bar passed.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { checkOutput, type NotebookOutput } from '@privet/core/review/index';
import { svgText } from '@privet/core/review/svg-text';
import { assertLinear } from './linear-growth.js';

const display = (mime: string, value: string): NotebookOutput => ({
  output_type: 'display_data',
  data: { [mime]: value },
  metadata: {},
});
const svg = (body: string): NotebookOutput =>
  display(
    'image/svg+xml',
    `<svg xmlns="http://www.w3.org/2000/svg" width="400" height="300">${body}</svg>`,
  );

/** The small-cell findings of an output: where each was read (its MIME type and reading). */
function smallCells(o: NotebookOutput): string[] {
  return checkOutput(o)
    .findings.filter((f) => f.rule === 'small-cell')
    .map((f) => f.mime);
}

/** Ticks as matplotlib (svg.fonttype 'none') groups them: scale positions, not counts. */
const TICKS =
  '<g id="matplotlib.axis_2">' +
  [0, 1, 2, 3, 4, 5]
    .map(
      (v, k) =>
        `<g id="ytick_${k + 1}"><g id="text_${k + 1}"><text x="30" y="${250 - 40 * k}">${v}</text></g></g>`,
    )
    .join('') +
  '</g>';
const bar = (x: number, height: number, label: string): string =>
  `<rect x="${x}" y="${250 - height}" width="40" height="${height}"/>` +
  `<g id="text_b${x}"><text x="${x + 20}" y="${245 - height}" text-anchor="middle">${label}</text></g>`;

describe('SVG text is read for counts', () => {
  test('a bar label below the threshold is held; ticks and large labels are not', () => {
    assert.deepEqual(smallCells(svg(TICKS + bar(60, 200, '120') + bar(120, 8, '2'))), [
      'image/svg+xml (SVG text)',
    ]);
    assert.deepEqual(smallCells(svg(TICKS + bar(60, 200, '120') + bar(120, 80, '45'))), []);
    // The bare label alone, as the brief's smallest case.
    assert.deepEqual(smallCells(svg('<text x="10" y="20">2</text>')), ['image/svg+xml (SVG text)']);
    // Where: its row and place among the text drawn; the value itself is never echoed.
    const found = checkOutput(svg(TICKS + bar(120, 8, '2'))).findings.find(
      (f) => f.rule === 'small-cell',
    );
    assert.deepEqual(found?.location, { row: 6, column: 0 });
    assert.doesNotMatch(found?.message ?? '', /\b2\b/);
  });

  test('labels spelt with references, CDATA, tspans or other digits are read as drawn', () => {
    for (const label of [
      '&#50;',
      '&#x33;',
      '<![CDATA[4]]>',
      '<tspan>3</tspan>',
      '<tspan font-weight="bold">1</tspan>',
      '\uff12', // a fullwidth 2
      '  3\n ',
      '<a href="#b">2</a>',
      '\u20032\u200b', // an em space and a zero-width space around a 2
      '&#x2003;3&ZeroWidthSpace;',
    ])
      assert.deepEqual(
        smallCells(svg(`<text x="5" y="9">${label}</text>`)),
        ['image/svg+xml (SVG text)'],
        label,
      );
    // A tspan placed on its own is its own label; joined inline, "1" and "2" draw "12".
    assert.equal(
      smallCells(svg('<text y="9"><tspan x="5">1</tspan><tspan x="30">20</tspan></text>')).length,
      1,
    );
    assert.deepEqual(smallCells(svg('<text y="9">1<tspan>2</tspan></text>')), []);
  });

  test('tooltips: <title> and <desc> of a shape', () => {
    assert.deepEqual(smallCells(svg('<rect width="9" height="9"><title>3</title></rect>')), [
      'image/svg+xml (SVG text)',
    ]);
    assert.deepEqual(smallCells(svg('<rect width="9" height="9"><desc>2</desc></rect>')), [
      'image/svg+xml (SVG text)',
    ]);
  });

  test('counts stated in SVG text, also split over text elements side by side', () => {
    assert.ok(smallCells(svg('<text x="200" y="290">n=3</text>')).includes('image/svg+xml'));
    // "n =" and its number drawn as two text elements on one line (a number alone, a label too).
    const split = smallCells(svg('<text x="10" y="20">n =</text><text x="40" y="20">3</text>'));
    assert.equal(split.filter((m) => m === 'image/svg+xml (SVG text)').length, 2);
    assert.ok(smallCells(svg('<text y="20">only 4 patients</text>')).length > 0);
  });

  test('a table of counts drawn as rows of <text> at one y', () => {
    const row = (y: number, cells: string[]): string =>
      cells.map((c, k) => `<text x="${10 + 90 * k}" y="${y}">${c}</text>`).join('');
    const table = svg(
      row(20, ['diagnosis', 'patients']) +
        row(40, ['influenza', '120']) +
        row(60, ['asthma', '2']) +
        row(80, ['sarcoidosis', '310']),
    );
    const cell = checkOutput(table).findings.find((f) => /column "patients"/.test(f.message));
    assert.equal(cell?.mime, 'image/svg+xml (SVG text)');
    assert.deepEqual(cell?.location, { row: 1, column: 0 });
    // The rows as read: one line per y, cells two spaces apart, in document order.
    assert.equal(
      svgText(
        '<svg><text x="0" y="20">a</text><text x="50" y="20">1</text><text y="40">b</text></svg>',
        true,
      )?.rows,
      'a  1\nb',
    );
  });

  test('inline <svg> in HTML and Markdown is read the same way', () => {
    const chart =
      '<svg width="100" height="50"><rect width="9" height="9"/><text x="5" y="9">2</text></svg>';
    assert.deepEqual(smallCells(display('text/html', `<div>${chart}</div>`)), [
      'text/html (SVG text)',
    ]);
    assert.deepEqual(smallCells(display('text/markdown', `Chart:\n\n${chart}\n`)), [
      'text/markdown (SVG text)',
    ]);
    // Outside an <svg>, a number alone is no label; nor is SVG text shown as text in a <textarea>.
    assert.deepEqual(smallCells(display('text/html', '<p>2</p><text>2</text>')), []);
    assert.equal(svgText('<textarea><svg><text>2</text></svg></textarea>', false), undefined);
    assert.ok(
      !smallCells(display('text/html', '<textarea><svg><text>2</text></svg></textarea>')).includes(
        'text/html (SVG text)',
      ),
    );
  });

  test('what is not drawn is not a label; malformed markup fails closed', () => {
    // Comments are not drawn (also when a browser ends them early).
    assert.deepEqual(smallCells(svg('<text x="1" y="2"><!-- 2 --></text>')), []);
    assert.equal(svgText('<svg><text><!--->2</text></svg>', true)?.rows, '2');
    assert.equal(svgText('<svg><text><!-- a --!>3</text></svg>', true)?.rows, '3');
    for (const early of ['<text y="2"><!--->2</text>', '<text y="2"><!-- a --!>3</text>'])
      assert.deepEqual(smallCells(svg(early)), ['image/svg+xml (SVG text)'], early);
    // An unclosed text element is still read; a quoted attribute that never ends draws nothing after.
    assert.deepEqual(smallCells(display('image/svg+xml', '<svg><text x="1" y="2">2')), [
      'image/svg+xml (SVG text)',
    ]);
    assert.equal(svgText('<svg><text title="x>2</text></svg>', true), undefined);
    assert.deepEqual(smallCells(svg('<text title="x>2</text>')), []);
    // Legend keys and axis labels are not values.
    assert.deepEqual(
      smallCells(
        svg('<g class="legend"><text x="1" y="2">1</text><text x="1" y="12">2</text></g>'),
      ),
      [],
    );
    // Axis labels are not values when they read as an axis (svg-text-placed.test.ts: a lone one is).
    assert.deepEqual(
      smallCells(
        svg(
          '<g class="mark-text role-axis-label">' +
            [0, 3, 6, 9]
              .map((v) => `<text transform="translate(${10 * v},15)">${v}</text>`)
              .join('') +
            '</g>',
        ),
      ),
      [],
    );
  });

  test('the chart look-alikes of other tests still pass', () => {
    const chart =
      '<text x="200" y="20" text-anchor="middle"><tspan x="200" dy="0">Visits by region</tspan><tspan x="200" dy="1.2em">(n = 1,234)</tspan></text>' +
      '<g class="xtick"><text x="50" y="290"><tspan>North</tspan></text><text x="150" y="290"><tspan>South</tspan></text></g>' +
      '<g class="ytick"><text x="10" y="250">0</text><text x="10" y="150">500</text><text x="10" y="50">1,000</text></g>' +
      '<text x="300" y="40"><tspan>2024</tspan><tspan dx="4">Q1</tspan><tspan dx="4">mean 12.5</tspan></text>' +
      '<rect x="40" y="100" width="20" height="150" fill="#1f77b4"/>';
    assert.deepEqual(smallCells(svg(chart)), []);
    assert.deepEqual(smallCells(svg('<text x="0" y="10">total 1200</text><rect width="5"/>')), []);
    assert.deepEqual(
      smallCells(svg('<text x="0" y="10">0.5</text><text y="30">mean 2.5</text>')),
      [],
    );
  });
});

describe('the SVG text reader stays linear', () => {
  const cases: [string, string][] = [
    ['unended comments', '<text><!-- a -->1'],
    ['comments without --!>', '<!-- x -->'],
    ['text never closed', '<text y="1">2'],
    ['groups never closed', '<g class="tick">'],
    ['tooltips', '<title>3</title><desc>4'],
    ['lone < and CDATA', '<text>< <![CDATA[5]]>'],
    ['raw text outside svg', '<textarea></textarea><svg><text>1</text></svg>'],
    ['translated groups never closed', '<g transform="translate(0,1)"><text dy="2">3</text>'],
    ['tick groups (one axis)', '<g class="tick" transform="translate(5,0)"><text>4</text></g>'],
    ['axes of one tick each', '<g class="axis"><g class="tick"><text>2</text></g></g>'],
    ['containers closed by an outer end tag', '<g><a><switch><g></svg><svg>'],
  ];
  for (const [name, unit] of cases)
    test(`linear: ${name}`, () => {
      // Inputs large enough (~0.05–1 MB) that a millisecond's pause does not look like growth.
      const make = (n: number): string => `<svg>${unit.repeat(n)}`;
      assertLinear(make, (s) => svgText(s, false), 10_000, name, 2);
    });
});
