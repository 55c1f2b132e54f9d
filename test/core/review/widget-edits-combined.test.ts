/**
 * A plotly FigureWidget draws its edits one over another: a restyle that sets the values and a
 * later one that makes them bars (or gives them labels) show both at once. Before, each edit was
 * read over the traces the widget was made with, so each of two edits read fine alone while the
 * figure drawn showed small counts; trace deletes and moves were not followed at all.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  WIDGET_VIEW_MIME,
  type NotebookOutput,
  type WidgetStateBook,
} from '@privet/core/review/index';
import { bookOpenedWith, DIAGNOSES, holding as holdingOf, send } from './widget-book-fixture.js';

/** The state plotly.py 6's FigureWidget opens its comm with (message traits unset). */
const widget6 = (data: unknown[], layout: Record<string, unknown> = {}) => ({
  _model_name: 'AnyModel',
  _model_module: 'anywidget',
  _view_name: 'AnyView',
  _widget_data: data,
  _widget_layout: layout,
  _py2js_restyle: null,
  _py2js_update: null,
  _py2js_deleteTraces: null,
  _py2js_moveTraces: null,
});

/** The output that shows `fig`, with the widget protocol version plotly.py 6 writes (2.1). */
const view21: NotebookOutput = {
  output_type: 'display_data',
  data: {
    'text/plain': 'FigureWidget({…})',
    [WIDGET_VIEW_MIME]: { model_id: 'fig', version_major: 2, version_minor: 1 },
  },
  metadata: {},
};

/** A book holding figure widget `fig` as the kernel opened it. */
const bookWith = (data: unknown[], layout?: Record<string, unknown>): WidgetStateBook =>
  bookOpenedWith(widget6(data, layout));

/** Holding rules (not info) of the widget output checked with its states. */
const holding = (book: WidgetStateBook): string[] => holdingOf(book, view21);

/** A fresh book with one trace edited by `edits` in turn (each alone is checked too). */
function eachAloneAndCombined(
  data: unknown[],
  edits: [string, Record<string, unknown>][],
  layout?: Record<string, unknown>,
): { alone: string[][]; combined: string[] } {
  const alone = edits.map(([trait, message]) => {
    const book = bookWith(data, layout);
    send(book, trait, message);
    return holding(book);
  });
  const book = bookWith(data, layout);
  for (const [trait, message] of edits) send(book, trait, message);
  return { alone, combined: holding(book) };
}

describe('FigureWidget edits are read combined, as the figure draws them', () => {
  test('a restyle of the values, then one that makes them bars', () => {
    const scatter = { type: 'scatter', mode: 'markers', x: DIAGNOSES, y: [1200, 410, 230] };
    const { alone, combined } = eachAloneAndCombined(
      [scatter],
      [
        ['_py2js_restyle', { restyle_data: { y: [[3, 2, 950]] }, restyle_traces: [0] }],
        ['_py2js_restyle', { restyle_data: { type: ['bar'] }, restyle_traces: [0] }],
      ],
    );
    // Points of a scatter are no counts, and bars of large values are fine...
    assert.deepEqual(alone, [[], []]);
    // ...but the figure draws bars of 3 and 2.
    assert.deepEqual(combined, ['small-cell', 'small-cell']);
  });

  test('a restyle of the counts, then one that gives the bars their labels', () => {
    // plotly draws every bar over repeated labels, so the counts alone are held already
    // (plot-traces.ts); the labels alone draw no small count.
    const bar = { type: 'bar', x: ['x', 'x', 'x'], y: [1200, 410, 230] };
    const { alone, combined } = eachAloneAndCombined(
      [bar],
      [
        ['_py2js_restyle', { restyle_data: { y: [[1000, 2, 1000]] }, restyle_traces: [0] }],
        ['_py2js_restyle', { restyle_data: { x: [DIAGNOSES] }, restyle_traces: [0] }],
      ],
    );
    assert.deepEqual(alone, [['small-cell'], []]);
    // Both states drawn show the 2: over the repeated labels, then over the diagnoses.
    assert.deepEqual(combined, ['small-cell', 'small-cell']);
  });

  test('an update restyling one trace relabels the axis of another', () => {
    const stays = { type: 'bar', x: DIAGNOSES, y: [950, 2, 3], name: 'a' };
    const other = { type: 'bar', x: DIAGNOSES, y: [1200, 410, 230], name: 'b' };
    const layout = { yaxis: { title: { text: 'mean length of stay' } } };
    const book = bookWith([stays, other], layout);
    assert.deepEqual(holding(book), []);
    send(book, '_py2js_update', {
      style_data: { 'marker.color': ['#636efa'] },
      layout_data: { 'yaxis.title.text': 'patients' },
      style_traces: [1],
    });
    // The first trace, untouched, is drawn under the new axis title: it shows patient counts.
    assert.deepEqual(holding(book), ['small-cell', 'small-cell']);
  });

  test('restyles after deleteTraces and moveTraces reach the trace now at that index', () => {
    const counts = { type: 'bar', x: DIAGNOSES, y: [1200, 410, 230], name: 'beds available' };
    const points = { type: 'scatter', x: DIAGNOSES, y: [3, 2, 950] };
    const makeBars = {
      restyle_data: { type: ['bar'] },
      restyle_traces: [0],
    };
    const deleted = bookWith([counts, points]);
    send(deleted, '_py2js_deleteTraces', { delete_inds: [0] });
    send(deleted, '_py2js_restyle', makeBars);
    assert.deepEqual(holding(deleted), ['small-cell', 'small-cell']);
    const moved = bookWith([counts, points]);
    send(moved, '_py2js_moveTraces', { current_trace_inds: [1], new_trace_inds: [0] });
    send(moved, '_py2js_restyle', makeBars);
    assert.deepEqual(holding(moved), ['small-cell', 'small-cell']);
    // Without the delete, the restyle makes bars of the large values only.
    const kept = bookWith([counts, points]);
    send(kept, '_py2js_restyle', makeBars);
    assert.deepEqual(holding(kept), []);
  });

  test('an empty trace list restyles every trace, as plotly.js reads it', () => {
    const a = { type: 'scatter', x: DIAGNOSES, y: [3, 2, 950] };
    const b = { type: 'scatter', x: DIAGNOSES, y: [4, 900, 700] };
    const book = bookWith([a, b]);
    send(book, '_py2js_restyle', { restyle_data: { type: ['bar'] }, restyle_traces: [] });
    assert.deepEqual(holding(book), ['small-cell', 'small-cell', 'small-cell']);
  });

  test('each intermediate state is read; a trace is read once per state', () => {
    const bar = { type: 'bar', x: DIAGNOSES, y: [1200, 410, 230] };
    const book = bookWith([bar]);
    send(book, '_py2js_restyle', { restyle_data: { y: [[1200, 2, 230]] }, restyle_traces: [0] });
    send(book, '_py2js_restyle', { restyle_data: { y: [[1200, 900, 230]] }, restyle_traces: [0] });
    send(book, '_py2js_restyle', { restyle_data: { 'marker.color': ['red'] } });
    // The small count was drawn in between: held once (not again for the states after it).
    assert.deepEqual(holding(book), ['small-cell']);
  });

  test('messages plotly.js refuses change nothing; unknown traces are read alone', () => {
    const counts = { type: 'bar', x: DIAGNOSES, y: [1200, 410, 230], name: 'beds available' };
    const points = { type: 'scatter', x: DIAGNOSES, y: [3, 2, 950] };
    for (const bad of [{ delete_inds: [5] }, { delete_inds: [0, 0] }, { delete_inds: ['0'] }]) {
      const book = bookWith([counts, points]);
      send(book, '_py2js_deleteTraces', bad);
      send(book, '_py2js_restyle', { restyle_data: { type: ['bar'] }, restyle_traces: [0] });
      assert.deepEqual(holding(book), [], JSON.stringify(bad));
    }
    // A restyle naming a trace the book never saw: its values are still read (fail closed).
    const book = bookWith([counts]);
    send(book, '_py2js_restyle', {
      restyle_data: { type: ['bar'], x: [DIAGNOSES], y: [[3, 2, 950]] },
      restyle_traces: [4],
    });
    assert.deepEqual(holding(book), ['small-cell', 'small-cell']);
  });
});
