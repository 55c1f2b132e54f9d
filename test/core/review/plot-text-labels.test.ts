/**
 * A bare small count plotly draws as a label — a trace's `text` on its bars ("2"), a literal count
 * in its `texttemplate`, its hover text, an annotation — is held, as the SVG reader holds a bar
 * label "2"; a template's `%{…}` placeholders are values, never literal counts, and a legend's or
 * title's bare number is not a label. A FigureWidget's edited and final figures are read alike.
 * Before, bare counts drawn this way passed.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { checkOutput, widgetCheckInput, WIDGET_STATE_MIME } from '@privet/core/review/index';
import { drawnFindings, f8, figure } from './plotly-output.js';
import { bar, bookWith, send, view } from './widget-book-fixture.js';

const bars = { type: 'bar', x: ['a', 'b'], y: [120, 340] };

/** What the label rule says of a bare count drawn as the `item`-th label of a place. */
const label = (item: number): string =>
  `a count drawn as a label below the threshold of 10 (item ${item})`;

/** The findings of a bar figure with `trace` over its one bar trace, and `layout`. */
const of = (trace: Record<string, unknown>, layout: Record<string, unknown> = {}): string[] =>
  drawnFindings(figure([{ ...bars, ...trace }], layout));

describe('plotly drawn text: bare counts drawn as labels', () => {
  test("a bar's text labels, as strings, numbers or a typed array, are held when small", () => {
    const held = [
      `(plotly text: trace text): ${label(1)}`,
      `(plotly text: trace text): ${label(2)}`,
    ];
    assert.deepEqual(of({ text: ['2', '3'] }), held);
    assert.deepEqual(of({ text: ['<b>2</b>', ' 3 '] }), held);
    assert.deepEqual(of({ text: [2, 30] }), [`(plotly text: trace text): ${label(1)}`]);
    assert.deepEqual(of({ text: f8([2, 30]) }), [`(plotly text: trace text): ${label(1)}`]);
    // One text for every bar; a heatmap's rows of text.
    assert.deepEqual(of({ text: '4' }), [`(plotly text: trace text): ${label(1)}`]);
    const heat = { type: 'heatmap', x: ['a', 'b'], y: ['c'], z: [[120, 340]], text: [['40', '5']] };
    assert.deepEqual(drawnFindings(figure([heat])), [`(plotly text: trace text): ${label(2)}`]);
  });

  test('a label on a line of its own (after <br>) is held; a number among words is no label', () => {
    assert.deepEqual(of({ text: ['Group A<br>2', 'Group B<br>45'] }), [
      `(plotly text: trace text): ${label(2)}`,
    ]);
    assert.deepEqual(of({ text: ['Group 2', 'v3'] }), []);
  });

  test('texttemplate: a literal count is drawn, a %{…} placeholder is a value', () => {
    assert.deepEqual(of({ texttemplate: '2' }), [`(plotly text: trace text): ${label(1)}`]);
    assert.deepEqual(of({ texttemplate: ['%{y}', '3'] }), [
      `(plotly text: trace text): ${label(2)}`,
    ]);
    assert.deepEqual(of({ texttemplate: '%{y}' }), []);
    assert.deepEqual(of({ texttemplate: '%{y:,.0f}' }), []);
    assert.deepEqual(of({ texttemplate: '%{x}2' }), []);
  });

  test('hover text and annotations draw labels too', () => {
    assert.deepEqual(of({ hovertext: ['2', 'b'] }), [`(plotly text: hover text): ${label(1)}`]);
    assert.deepEqual(of({ hovertemplate: '%{x}<extra>3</extra>' }), [
      `(plotly text: hover text): ${label(2)}`,
    ]);
    assert.deepEqual(of({}, { annotations: [{ text: '40' }, { text: '3' }] }), [
      `(plotly text: annotation): ${label(2)}`,
    ]);
  });

  test('large counts, zero, fractions and bare numbers outside label places are not held', () => {
    assert.deepEqual(of({ text: ['12', '0', '2.5', '-3', '1,200'] }), []);
    // A legend entry (a trace named by its cluster code) and a title are no count labels.
    assert.deepEqual(of({ name: '2' }, { title: '3', xaxis: { title: '4' } }), []);
  });

  test('the threshold is the policy’s', () => {
    const o = figure([{ ...bars, text: ['12', '40'] }]);
    const r = checkOutput(o, { policy: { small_cell_threshold: 20 } });
    assert.deepEqual(
      r.findings.filter((f) => f.mime.includes('(plotly text')).map((f) => f.message),
      ['a count drawn as a label below the threshold of 20 (item 1)'],
    );
  });
});

describe('plotly drawn text in a FigureWidget', () => {
  /** The drawn-text findings of the widget `fig` in `book`, checked with its states. */
  const widgetFindings = (book: ReturnType<typeof bookWith>): string[] => {
    const input = widgetCheckInput(view, [book]);
    return drawnFindings(input.output, WIDGET_STATE_MIME);
  };

  test('text labels set by a restyle, and by an index edit, are read as drawn', () => {
    const book = bookWith([bar()]);
    assert.deepEqual(widgetFindings(book), []);
    send(book, '_py2js_restyle', {
      restyle_data: { text: [['120', '40', '30']] },
      restyle_traces: [0],
    });
    assert.deepEqual(widgetFindings(book), []);
    send(book, '_py2js_restyle', { restyle_data: { 'text[1]': '2' }, restyle_traces: [0] });
    assert.deepEqual(widgetFindings(book), [`(plotly text: trace text): ${label(4)}`]);
  });

  test('an annotation or title a relayout sets is read', () => {
    const book = bookWith([bar()], { annotations: [{ text: 'cohort' }] });
    send(book, '_py2js_relayout', { relayout_data: { 'annotations[0].text': 'n = 3' } });
    send(book, '_py2js_relayout', { relayout_data: { 'title.text': '4' } });
    assert.deepEqual(widgetFindings(book), [
      '(plotly text: annotation): a count stated in text below the threshold of 10',
    ]);
  });

  test('a texttemplate added with a trace is read', () => {
    const book = bookWith([bar()]);
    send(book, '_py2js_addTraces', { trace_data: [bar({ texttemplate: '5' })] });
    assert.deepEqual(widgetFindings(book), [`(plotly text: trace text): ${label(1)}`]);
  });
});
