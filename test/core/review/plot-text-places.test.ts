/**
 * The text a plotly figure draws — titles, axis, legend and colorbar titles, annotations, a
 * trace's name, text, hover text and templates — is read for counts stated in text as text/plain
 * is, tags read as plotly draws them; tick labels are a scale and are not read. Before, only the
 * identifier scan read these strings: "only 2 patients" in an annotation passed.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { checkOutput, type NotebookOutput } from '@privet/core/review/index';
import { drawnString } from '@privet/core/review/plot-text';
import { drawnFindings, figure } from './plotly-output.js';
import { prng, randomText } from './random-text.js';

const SENTENCE = 'only 2 patients had sarcoidosis';
const STATED = 'a count stated in text below the threshold of 10';
const bars = { type: 'bar', x: ['a', 'b'], y: [120, 340] };

/** The findings of a bar figure with `layout`, and `trace` over its one bar trace. */
const of = (layout: Record<string, unknown>, trace: Record<string, unknown> = {}): string[] =>
  drawnFindings(figure([{ ...bars, ...trace }], layout));

describe('plotly drawn text: where it is drawn', () => {
  test('layout titles, axis titles (object and string forms), legend and colorbar titles', () => {
    const cases: [string, Record<string, unknown>, Record<string, unknown>?][] = [
      ['title', { title: { text: SENTENCE } }],
      ['title', { title: SENTENCE }],
      ['title', { title: { text: 'Cohort', subtitle: { text: SENTENCE } } }],
      ['axis title', { xaxis: { title: { text: SENTENCE } } }],
      ['axis title', { xaxis: { title: SENTENCE } }],
      ['axis title', { yaxis3: { title: { text: SENTENCE } } }],
      ['axis title', { scene: { zaxis: { title: { text: SENTENCE } } } }],
      ['axis title', { polar: { radialaxis: { title: { text: SENTENCE } } } }],
      ['legend title', { legend: { title: { text: SENTENCE } } }],
      ['legend title', { legend2: { title: { text: SENTENCE } } }],
      ['legend title', {}, { legendgrouptitle: { text: SENTENCE } }],
      ['colorbar title', { coloraxis: { colorbar: { title: { text: SENTENCE } } } }],
      ['colorbar title', {}, { marker: { colorbar: { title: SENTENCE } } }],
      ['colorbar title', {}, { colorbar: { title: { text: SENTENCE } } }],
    ];
    for (const [place, layout, trace] of cases)
      assert.deepEqual(of(layout, trace), [`(plotly text: ${place}): ${STATED}`], place);
  });

  test('annotations (2D and 3D, their hover text), shape labels and slider labels', () => {
    const cases: [string, Record<string, unknown>][] = [
      ['annotation', { annotations: [{ text: 'cohort' }, { text: SENTENCE }] }],
      ['annotation', { annotations: [{ text: 'cohort', hovertext: SENTENCE }] }],
      ['annotation', { scene: { annotations: [{ text: SENTENCE }] } }],
      ['annotation', { shapes: [{ type: 'line', label: { text: SENTENCE } }] }],
      ['control label', { sliders: [{ steps: [{ label: SENTENCE }] }] }],
      ['control label', { updatemenus: [{ buttons: [{ label: SENTENCE }] }] }],
    ];
    for (const [place, layout] of cases)
      assert.deepEqual(of(layout), [`(plotly text: ${place}): ${STATED}`], place);
  });

  test("a trace's name, text, hover text and the literal text of its templates", () => {
    const cases: [string, Record<string, unknown>][] = [
      ['trace name', { name: SENTENCE }],
      ['trace text', { text: SENTENCE }],
      ['trace text', { text: ['cohort', SENTENCE] }],
      ['trace text', { texttemplate: `%{y} in all; ${SENTENCE}` }],
      ['hover text', { hovertext: ['cohort', SENTENCE] }],
      ['hover text', { hovertemplate: `%{x}: ${SENTENCE}<extra></extra>` }],
      ['title', { type: 'pie', labels: ['a', 'b'], values: [120, 340], title: SENTENCE }],
    ];
    for (const [place, trace] of cases)
      assert.deepEqual(of({}, trace), [`(plotly text: ${place}): ${STATED}`], place);
  });

  test('scatter text marks stating counts', () => {
    const marks = { type: 'scatter', mode: 'text', x: [1, 2], y: [1, 2] };
    const o = figure([{ ...marks, text: ['2 patients', '3 patients'] }]);
    assert.deepEqual(drawnFindings(o), [
      `(plotly text: trace text): ${STATED}`,
      `(plotly text: trace text): ${STATED}`,
    ]);
  });

  test("an animation frame's layout and traces are read too", () => {
    const o: NotebookOutput = {
      output_type: 'display_data',
      data: {
        'application/vnd.plotly.v1+json': {
          data: [bars],
          layout: {},
          frames: [
            { name: '2019', data: [{ y: [120, 340], text: SENTENCE }] },
            { name: '2020', layout: { title: { text: 'n = 3' } } },
          ],
        },
      },
      metadata: {},
    };
    assert.deepEqual(drawnFindings(o), [
      `(plotly text: trace text): ${STATED}`,
      `(plotly text: title): ${STATED}`,
    ]);
  });

  test('a figure dict inside other JSON names its part', () => {
    const o: NotebookOutput = {
      output_type: 'display_data',
      data: {
        'application/json': {
          figure: { data: [bars], layout: { annotations: [{ text: SENTENCE }] } },
        },
      },
      metadata: {},
    };
    assert.deepEqual(drawnFindings(o), [`application/json (plotly text: annotation): ${STATED}`]);
  });

  test('counts at or above the threshold, and numbers that are no counts, are not held', () => {
    assert.deepEqual(of({ title: 'only 20 patients', annotations: [{ text: 'Figure 3' }] }), []);
    assert.deepEqual(of({ xaxis: { title: 'age in 5-year bands' } }, { name: 'model 2' }), []);
    assert.deepEqual(of({}, { hovertemplate: '%{y} patients<extra>%{x}</extra>' }), []);
  });

  test('tick labels are a scale: ticktext and tickvals are not read', () => {
    const ticks = { tickvals: [0, 1], ticktext: ['2 patients', '3'] };
    assert.deepEqual(of({ xaxis: ticks, yaxis: { ticktext: ['n = 2'] } }), []);
  });

  test('a figure in output metadata is not drawn, and its text is not read as drawn', () => {
    const o: NotebookOutput = {
      output_type: 'display_data',
      data: { 'text/plain': 'a chart' },
      metadata: { figure: { data: [bars], layout: { annotations: [{ text: SENTENCE }] } } },
    };
    assert.deepEqual(drawnFindings(o), []);
    // Nor does it reach the next output checked.
    assert.deepEqual(drawnFindings(figure([bars])), []);
  });

  test('findings never quote the text read', () => {
    const o = figure([{ ...bars, text: ['2', 'x'] }], { annotations: [{ text: SENTENCE }] });
    for (const f of checkOutput(o).findings) {
      assert.ok(!f.message.includes('patients'), f.message);
      assert.ok(!f.mime.includes('patients'), f.mime);
    }
  });
});

describe('plotly drawn text: tags as plotly draws them', () => {
  test('style tags join the text they wrap: numbers are neither split nor cut off', () => {
    assert.deepEqual(of({ title: 'n = <b>3</b> in clinic B' }), [
      `(plotly text: title): ${STATED}`,
    ]);
    assert.deepEqual(of({ title: 'only <span style="color:red">2</span> patients' }), [
      `(plotly text: title): ${STATED}`,
    ]);
    // "1<sup>2</sup>" is drawn as one number, 12: never a count of 2.
    assert.deepEqual(of({ title: 'only 1<sup>2</sup> patients' }), []);
    assert.deepEqual(of({ title: 'only 1<b>2</b> patients' }), []);
  });

  test('<br> is a line break, a line end a space, an unknown tag drawn as written', () => {
    assert.equal(drawnString('a<br>b<BR />c<br/>d'), 'a\nb\nc\nd');
    assert.equal(drawnString('only 2\npatients'), 'only 2 patients');
    assert.equal(drawnString('<i>x</i> <p>y</p> a < b > c'), 'x <p>y</p> a < b > c');
    assert.deepEqual(of({ title: 'Cohort<br>only 2 patients' }), [
      `(plotly text: title): ${STATED}`,
    ]);
    assert.deepEqual(of({ title: 'only 2\npatients' }), [`(plotly text: title): ${STATED}`]);
  });

  test('drawnString reads tags exactly as plotly.js splits them (SPLIT_TAGS, ONE_TAG)', () => {
    // plotly.js: line ends as spaces, split at /(<[^<>]*>)/, each tag's name by ONE_TAG.
    const STYLE = new Set(['sup', 'sub', 's', 'u', 'b', 'i', 'a', 'span', 'em']);
    const reference = (s: string): string =>
      s.replace(/\r\n?|\n/g, ' ').replace(/<[^<>]*>/g, (tag) => {
        const name = (/^<(\/?)([^ >]*)/.exec(tag)?.[2] ?? '').toLowerCase();
        if (name === 'br' || name === 'br/') return '\n';
        return STYLE.has(name) ? '' : tag;
      });
    const pieces = [
      '<',
      '>',
      '/',
      ' ',
      'b',
      'B',
      'r',
      'R',
      'span',
      'sup',
      'em',
      'x',
      '2',
      '\n',
      '\r',
      '<br>',
      '</b>',
      '<i ',
      'style="a"',
      '<br/>',
      '<extra>',
    ];
    const rnd = prng(7);
    for (let k = 0; k < 20_000; k++) {
      const s = randomText(rnd, pieces, 16);
      assert.equal(drawnString(s), reference(s), JSON.stringify(s));
    }
  });
});
