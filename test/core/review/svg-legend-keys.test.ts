/**
 * Numbers drawn in an SVG legend group (matplotlib's `legend_1`, plotly's `legend`/`legendtext`,
 * vega's `role-legend`/`role-legend-label`) used to be exempt from the count rule by the group's
 * name alone, so `<g class="legend"><text>3</text></g>` hid a count. A legend's numbers are now
 * exempt only when together they read as a legend's keys: a scale (evenly spaced, a log scale: as
 * an axis's tick labels read, svg-axis.ts) or a categorical legend's category codes (0, 1, 2 … or
 * 1, 2 …). A lone count, or an uneven set, in a legend is read like any other label (held). The
 * legends below copy the markup matplotlib 3 (svg.fonttype none) and vega (altair 6, vl-convert)
 * write.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { checkOutput } from '@privet/core/review/index';
import { svgText } from '@privet/core/review/svg-text';
import { picture, svg } from './svg-fixture.js';

/** The small-cell findings on counts drawn as labels in the SVG's text. */
const heldLabels = (body: string): string[] =>
  checkOutput(svg(body))
    .findings.filter(
      (f) =>
        f.mime === 'image/svg+xml (SVG text)' && f.rule === 'small-cell' && /label/.test(f.message),
    )
    .map((f) => f.message);

/** A matplotlib legend (`legend_1`): a title, then one text group per entry. */
const mplLegend = (title: string, entries: readonly string[]): string =>
  '<g id="legend_1"><g id="patch_7"><path d="M 64 139 L 109 139 z"/></g>' +
  `<g id="text_13"><text x="66.8" y="58.07" transform="rotate(-0 66.8 58.07)">${title}</text></g>` +
  entries
    .map((e, k) => {
      const y = (73.071 + 15 * k).toFixed(3);
      return (
        `<g id="PathCollection_${6 + k}"><g><use xlink:href="#m${k}" x="76.6" y="${y}"/></g></g>` +
        `<g id="text_${14 + k}"><text x="94.6" y="${y}" transform="rotate(-0 94.6 ${y})">${e}</text></g>`
      );
    })
    .join('') +
  '</g>';

/**
 * matplotlib's `legend_elements(prop="sizes")` labels are math text ("$\mathdefault{15}$"), drawn
 * one digit per `<tspan>` in a translated group.
 */
const mplMathLegend = (entries: readonly string[]): string =>
  '<g id="legend_1"><g id="text_13"><text x="77.3" y="58.07">size</text></g>' +
  entries
    .map(
      (e, k) =>
        `<g id="text_${14 + k}"><!-- $\\mathdefault{${e}}$ --><g transform="translate(94.6 ${73 + 15 * k})"><text>` +
        [...e]
          .map((d, j) => `<tspan x="${(6.362305 * j).toFixed(6)}" y="-0.578125">${d}</tspan>`)
          .join('') +
        '</text></g></g>',
    )
    .join('') +
  '</g>';

/** A vega symbol legend: nested `role-legend` … `role-legend-label` groups, a title. */
const vegaLegend = (title: string, labels: readonly string[], x = 318): string =>
  `<g class="mark-group role-legend" aria-roledescription="legend"><g transform="translate(${x},0)"><g>` +
  '<g class="mark-group role-legend-entry"><g transform="translate(0,16)"><g><g class="mark-group role-scope">' +
  labels
    .map(
      (l, k) =>
        `<g transform="translate(0,${13 * k})"><g><g class="mark-symbol role-legend-symbol"><path transform="translate(9.5,5)" d="M1,0A1,1,0,1,1,-1,0"/></g>` +
        `<g class="mark-text role-legend-label"><text text-anchor="start" transform="translate(23,8)">${l}</text></g></g></g>`,
    )
    .join('') +
  '</g></g></g></g>' +
  `<g class="mark-text role-legend-title"><text text-anchor="start" transform="translate(0,9)">${title}</text></g>` +
  '</g></g></g>';

/** A vega gradient legend: its labels are the scale's ends or ticks (here a count's domain). */
const vegaGradient = (labels: readonly string[]): string =>
  '<g class="mark-group role-legend"><g transform="translate(318,0)"><g><g class="mark-group role-legend-entry"><g transform="translate(0,16)"><g>' +
  '<g class="mark-rect role-legend-gradient"><path d="M0,0h16v200h-16Z"/></g>' +
  '<g class="mark-text role-legend-label">' +
  labels.map((l, k) => `<text transform="translate(18,${9 + 190 * k})">${l}</text>`).join('') +
  '</g></g></g></g><g class="mark-text role-legend-title"><text transform="translate(0,9)">Count of Records</text></g></g></g></g>';

/** A plotly legend: one `traces` group per trace, its name in a `legendtext`. */
const plotlyLegend = (names: readonly string[]): string =>
  '<g class="legend" transform="translate(400,20)"><g class="scrollbox"><g class="groups">' +
  names
    .map(
      (n, k) =>
        `<g class="traces" transform="translate(0,${14.5 + 19 * k})"><text class="legendtext" text-anchor="start" x="40" y="4.68">${n}</text></g>`,
    )
    .join('') +
  '</g></g></g>';

/** A bar's count label, outside any legend. */
const barLabel = (v: string): string =>
  `<g class="mark-text role-mark"><text transform="translate(40,120)">${v}</text></g>`;

describe('a legend group exempts its numbers only when they read as its keys', () => {
  test('a lone count in a legend group is held, whatever library names the group', () => {
    const cases: [string, string][] = [
      ['class="legend"', '<g class="legend"><text x="1" y="2">3</text></g>'],
      ['matplotlib legend_1', mplLegend('n', ['3'])],
      ['vega role-legend', vegaLegend('n', ['3'])],
      ['plotly legendtext', plotlyLegend(['3'])],
      ['a text naming a legend itself', '<text class="legendtext" x="40" y="4">3</text>'],
    ];
    for (const [name, body] of cases) assert.equal(heldLabels(body).length, 1, name);
  });

  test('an uneven set of numbers in a legend is held (counts as legend labels)', () => {
    // A pie's legend labelled with its counts, as `ax.legend(['3', '7', '12'])` draws it.
    assert.equal(heldLabels(mplLegend('', ['3', '7', '12'])).length, 2);
    // Category codes with one missing are no longer codes.
    assert.equal(heldLabels(vegaLegend('cluster', ['0', '1', '3'])).length, 2);
    // A vega gradient legend labels a count scale by its ends: the smallest count is drawn.
    assert.equal(heldLabels(vegaGradient(['3', '11'])).length, 1);
  });

  test('each legend is read on its own: a count is not covered by another legend', () => {
    const body = vegaLegend('cluster', ['0', '1', '2', '3', '4']) + vegaLegend('n', ['3'], 400);
    assert.equal(heldLabels(body).length, 1);
    // The cluster legend alone passes.
    assert.deepEqual(heldLabels(vegaLegend('cluster', ['0', '1', '2', '3', '4'])), []);
  });

  test('an evenly spaced size legend passes', () => {
    assert.deepEqual(heldLabels(vegaLegend('size', ['0', '20', '40', '60', '80'])), []);
    assert.deepEqual(heldLabels(vegaLegend('cyl', ['2', '4', '6', '8'])), []);
    assert.deepEqual(heldLabels(mplLegend('size', ['2', '4', '6'])), []);
    // A log-scaled colour legend as vega labels it (1, 2, 10, 20; the rest left blank).
    assert.deepEqual(heldLabels(vegaLegend('size', ['1', '2', '', '10', '20', ''])), []);
  });

  test('a categorical legend of cluster ids passes (0..4, and codes 1, 2)', () => {
    assert.deepEqual(heldLabels(mplLegend('cluster', ['0', '1', '2', '3', '4'])), []);
    assert.deepEqual(heldLabels(vegaLegend('cluster', ['0', '1', '2', '3', '4'])), []);
    assert.deepEqual(heldLabels(plotlyLegend(['0', '1', '2'])), []);
    assert.deepEqual(heldLabels(mplLegend('', ['1', '2'])), []);
    assert.deepEqual(heldLabels(vegaLegend('grp', ['1', '2'])), []);
  });

  test('real-library legends pass: math-text digits are read as the number they draw', () => {
    // 15, 30, 45 drawn digit by digit: read one by one (1, 5, 3, 0, 4, 5) they are uneven.
    assert.deepEqual(heldLabels(mplMathLegend(['15', '30', '45'])), []);
    assert.deepEqual(heldLabels(mplMathLegend(['10', '20', '30', '40', '50'])), []);
    // Uneven math-text sizes are still held (their single digits are counts drawn).
    assert.ok(heldLabels(mplMathLegend(['3', '15', '40'])).length > 0);
    // Text-only legends hold nothing; a bar's count label beside a passing legend is still held.
    assert.deepEqual(heldLabels(mplLegend('count', ['group 1', 'group 2'])), []);
    assert.equal(heldLabels(plotlyLegend(['0', '1', '2']) + barLabel('4')).length, 1);
  });

  test('legend text stays out of the grid reading, held or not', () => {
    // The legend's "3" is drawn right of the row but written first: were it placed for the grid,
    // the grid would add the row "ward  north  3".
    const body =
      '<g class="legend"><text x="300" y="20">3</text></g>' +
      '<text x="10" y="20">ward</text><text x="100" y="20">north</text>';
    assert.equal(svgText(picture(body), true)?.rows, '3  ward  north');
    assert.equal(heldLabels(body).length, 1);
  });
});

describe('math-text power labels read as a scale only in base 10 or 2', () => {
  /** A tick group drawing `pairs` as matplotlib's math-text powers (base, then exponent). */
  const powers = (pairs: readonly (readonly [string, string])[]): string =>
    '<g id="matplotlib.axis_2">' +
    pairs
      .map(
        ([b, e], k) =>
          `<g id="ytick_${k + 1}"><text x="30" y="${200 - 40 * k}">${b}<tspan x="44" dy="-5">${e}</tspan></text></g>`,
      )
      .join('') +
    '</g>';

  test('10², 10³ is a log axis; "3" before "5", "3" before "8" are counts in pairs', () => {
    assert.deepEqual(
      heldLabels(
        powers([
          ['10', '2'],
          ['10', '3'],
        ]),
      ),
      [],
    );
    assert.ok(
      heldLabels(
        powers([
          ['3', '5'],
          ['3', '8'],
        ]),
      ).length > 0,
    );
    assert.ok(
      heldLabels(
        powers([
          ['2', '10003'],
          ['2', '1000'],
        ]),
      ).length > 0,
      'no power of two has an exponent past what a number can show',
    );
  });
});
