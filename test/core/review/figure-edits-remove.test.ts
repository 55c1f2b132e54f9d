/**
 * A plotly FigureWidget's layout edits and prop removals are read where the kernel sent them.
 * Before, the widget book kept no relayout (the kernel resets the trait to None at once, so a
 * title set by `fig.layout.yaxis.title = …` before a restyle was never read with it), and
 * `removeTraceProps` / `removeLayoutProps` were not applied at all. A removal leaves later states
 * without the prop; the state that showed it was read when it was drawn (never fail open).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { widgetCheckInput, type WidgetStateBook } from '@privet/core/review/index';
import {
  bar,
  bookWith,
  DIAGNOSES,
  figures,
  holding,
  send,
  update,
  view,
} from './widget-book-fixture.js';

const STAY = { yaxis: { title: { text: 'mean length of stay' } } };

/** The traces of every figure read, each as JSON (to find a state among them). */
const tracesRead = (book: WidgetStateBook): unknown[] =>
  figures(book).flatMap((f) => (Array.isArray(f.data) ? f.data : []));

describe('removeTraceProps / removeLayoutProps are applied as plotly applies them', () => {
  test('a removed trace prop is gone from the states after it, not from the one before', () => {
    const book = bookWith([bar()]);
    send(book, '_py2js_restyle', {
      restyle_data: { text: [['3', '2', '1']] },
      restyle_traces: [0],
    });
    send(book, '_py2js_removeTraceProps', {
      remove_trace: 0,
      remove_props: [['text'], ['marker', 'color']],
    });
    const all = figures(book);
    const last = all.at(-1)?.data;
    assert.ok(Array.isArray(last) && last.length === 1);
    // As plotly's widget model leaves it (lodash unset): no text, the marker without its colour.
    assert.deepEqual(last[0], {
      type: 'bar',
      x: DIAGNOSES,
      y: [1200, 410, 230],
      marker: { line: { width: 1 } },
    });
    // The state drawn with the labels is still read.
    assert.ok(tracesRead(book).some((t) => JSON.stringify(t).includes('"text":["3","2","1"]')));
  });

  test('an array item removed becomes a hole (null), the others stay', () => {
    const book = bookWith([bar({ text: ['a', 'b', 'c'] })]);
    send(book, '_py2js_removeTraceProps', { remove_trace: 0, remove_props: [['text', 1]] });
    const last = figures(book).at(-1)?.data;
    assert.ok(Array.isArray(last));
    assert.deepEqual((last[0] as Record<string, unknown>).text, ['a', null, 'c']);
  });

  test('a removed axis title: later states drop it, the held state before it still holds', () => {
    const counts = bar({ y: [950, 2, 3] });
    const book = bookWith([counts], { yaxis: { title: { text: 'patients' }, anchor: 'x' } });
    assert.ok(holding(book).includes('small-cell'));
    send(book, '_py2js_removeLayoutProps', { remove_props: [['yaxis', 'title', 'text']] });
    const last = figures(book).at(-1);
    assert.deepEqual(last?.layout, { yaxis: { title: {}, anchor: 'x' } });
    // Removing never makes the check fail open: the state that showed the title was drawn.
    assert.ok(holding(book).includes('small-cell'));
  });

  test('a view drawn before a removal keeps the prop and draws later edits over it', () => {
    // plotly removes props from the widget's model only: the view on screen keeps `orientation`.
    const across = { type: 'bar', orientation: 'h', x: [1200, 410, 230], y: DIAGNOSES };
    const book = bookWith([across]);
    send(book, '_py2js_removeTraceProps', { remove_trace: 0, remove_props: [['orientation']] });
    assert.deepEqual(holding(book), []);
    send(book, '_py2js_restyle', { restyle_data: { x: [[950, 2, 3]] }, restyle_traces: [0] });
    // Drawn across (as the view shows it): 2 and 3 per diagnosis.
    assert.ok(holding(book).includes('small-cell'));
    const read = tracesRead(book).map((t) => JSON.stringify(t));
    assert.ok(read.some((t) => t.includes('"orientation":"h"') && t.includes('[950,2,3]')));
    assert.ok(read.some((t) => !t.includes('orientation') && t.includes('[950,2,3]')));
  });

  test('a malformed remove message changes nothing (every path refused with it)', () => {
    const layout = { yaxis: { title: { text: 'patients' } } };
    const baseline = JSON.stringify(figures(bookWith([bar({ text: ['a', 'b', 'c'] })], layout)));
    const traceBad: Record<string, unknown>[] = [
      { remove_trace: 5, remove_props: [['text']] },
      { remove_trace: -1, remove_props: [['text']] },
      { remove_trace: '0', remove_props: [['text']] },
      { remove_trace: 0.5, remove_props: [['text']] },
      { remove_props: [['text']] },
      { remove_trace: 0, remove_props: 'text' },
      { remove_trace: 0, remove_props: [['text'], 'marker.color'] },
      { remove_trace: 0, remove_props: [['text'], []] },
      { remove_trace: 0, remove_props: [['text'], ['text', -1]] },
      { remove_trace: 0, remove_props: [['text'], [1.5]] },
      { remove_trace: 0, remove_props: [['text'], [{ k: 'text' }]] },
      { remove_trace: 0, remove_props: [['__proto__', 'text']] },
      { remove_trace: 0, remove_props: [['text'], Array.from({ length: 65 }, () => 'text')] },
    ];
    for (const bad of traceBad) {
      const book = bookWith([bar({ text: ['a', 'b', 'c'] })], layout);
      send(book, '_py2js_removeTraceProps', bad);
      assert.equal(JSON.stringify(figures(book)), baseline, JSON.stringify(bad));
    }
    for (const bad of [{}, { remove_props: 'yaxis' }, { remove_props: [['yaxis'], null] }]) {
      const book = bookWith([bar({ text: ['a', 'b', 'c'] })], layout);
      send(book, '_py2js_removeLayoutProps', bad);
      assert.equal(JSON.stringify(figures(book)), baseline, JSON.stringify(bad));
    }
    // The same paths, well formed, do change the figure.
    const book = bookWith([bar({ text: ['a', 'b', 'c'] })], layout);
    send(book, '_py2js_removeTraceProps', { remove_trace: 0, remove_props: [['text']] });
    send(book, '_py2js_removeLayoutProps', { remove_props: [['yaxis']] });
    assert.notEqual(JSON.stringify(figures(book)), baseline);
    assert.deepEqual(figures(book).at(-1)?.layout, {});
  });
});

describe('layout edits apply in the order the kernel sent them', () => {
  test('a title set by relayout before a restyle is drawn over the restyled counts', () => {
    const book = bookWith([bar()], STAY);
    send(book, '_py2js_relayout', { relayout_data: { 'yaxis.title.text': 'patients' } });
    send(book, '_py2js_restyle', { restyle_data: { y: [[950, 2, 3]] }, restyle_traces: [0] });
    // The title back, still held in the state (not yet reset to None).
    book.apply(
      update({ _py2js_relayout: { relayout_data: { 'yaxis.title.text': 'mean length of stay' } } }),
    );
    // plotly drew bars of 2 and 3 patients in between.
    assert.ok(holding(book).includes('small-cell'));
    const drawn = figures(book).find((f) => JSON.stringify(f.data).includes('[950,2,3]'));
    assert.deepEqual(drawn?.layout, { yaxis: { title: { text: 'patients' } } });
  });

  test('the frontend relayout the kernel echoes is kept too; a relayout after the restyle is not drawn before it', () => {
    const echoed = bookWith([bar({ y: [950, 2, 3] })], STAY);
    echoed.apply({
      channel: 'iopub',
      header: { msg_type: 'comm_msg' },
      content: {
        comm_id: 'fig',
        data: {
          method: 'echo_update',
          state: { _js2py_relayout: { relayout_data: { 'yaxis.title.text': 'patients' } } },
          buffer_paths: [],
        },
      },
    });
    echoed.apply(update({ _js2py_relayout: null }));
    assert.ok(holding(echoed).includes('small-cell'));
    // Restyled to large counts first, then titled `patients`: no small count is drawn as one.
    const book = bookWith([bar({ y: [950, 2, 3] })], STAY);
    send(book, '_py2js_restyle', { restyle_data: { y: [[950, 410, 230]] }, restyle_traces: [0] });
    send(book, '_py2js_relayout', { relayout_data: { 'yaxis.title.text': 'patients' } });
    const titled = figures(book).filter((f) => JSON.stringify(f.layout).includes('patients'));
    assert.ok(titled.length > 0);
    assert.ok(titled.every((f) => !JSON.stringify(f.data).includes('[950,2,3]')));
  });

  test('zooming keeps nothing; past 10,000 kept layout edits the widget is unreadable', () => {
    const zoomed = bookWith([bar()], STAY);
    for (let k = 0; k < 10_050; k++) {
      const range = { 'xaxis.range[0]': k - 0.5, 'xaxis.range[1]': k + 2.5 };
      zoomed.apply(update({ _js2py_relayout: { relayout_data: range, source_view_id: 'v' } }));
      send(zoomed, '_py2js_relayout', { relayout_data: range, source_view_id: 'v' });
      send(zoomed, '_js2py_layoutDelta', {
        layout_delta: { xaxis: { range: [k - 0.5, k + 2.5], type: 'category' } },
      });
      send(zoomed, '_py2js_relayout', {
        relayout_data: {
          'xaxis.autorange': true,
          'yaxis.range': ['2024-01-01', '2024-02-01 12:30'],
        },
      });
      send(zoomed, '_py2js_removeLayoutProps', { remove_props: [['xaxis', 'range']] });
    }
    assert.equal(zoomed.closure('fig').states.fig?._privet_figure_edits, undefined);
    assert.deepEqual(holding(zoomed), []);
    const retitled = bookWith([bar()], STAY);
    for (let k = 0; k < 10_001; k++)
      send(retitled, '_py2js_relayout', { relayout_data: { 'yaxis.title.text': `stay ${k}` } });
    assert.match(widgetCheckInput(view, [retitled]).unreadable ?? '', /edited more than 10,000/);
  });

  test('only numbers and mode names at view paths are view-only (not kept)', () => {
    /** True when the book keeps edit `m` sent in trait `key`. */
    const keeps = (key: string, m: Record<string, unknown>): boolean => {
      const book = bookWith([bar()]);
      send(book, key, m);
      return book.closure('fig').states.fig?._privet_figure_edits !== undefined;
    };
    const relayout = (data: unknown) => ({ relayout_data: data });
    const viewOnly: [string, Record<string, unknown>][] = [
      ['_py2js_relayout', relayout({ 'xaxis2.range': [0, 4], 'yaxis.autorange': true })],
      ['_js2py_relayout', relayout({ dragmode: 'pan', 'scene.camera': { eye: { x: 1 } } })],
      ['_js2py_relayout', relayout({ 'mapbox.center': { lon: 2, lat: 48 }, 'mapbox.zoom': 3 })],
      ['_py2js_removeLayoutProps', { remove_props: [['xaxis', 'range']] }],
    ];
    for (const [key, m] of viewOnly) assert.ok(!keeps(key, m), JSON.stringify(m));
    const kept: [string, Record<string, unknown>][] = [
      ['_py2js_relayout', relayout({ 'xaxis.range': [0, 4], 'yaxis.title.text': 'patients' })],
      ['_py2js_relayout', relayout({ 'xaxis.range': [0, 'n=3 (asthma)'] })],
      ['_py2js_relayout', relayout({ annotations: [{ text: 'n=3' }] })],
      ['_py2js_relayout', relayout({ 'xaxis.range': Array.from({ length: 2000 }, () => 1) })],
      ['_py2js_relayout', relayout(null)],
      ['_py2js_removeLayoutProps', { remove_props: [['yaxis', 'title', 'text']] }],
      ['_py2js_removeLayoutProps', { remove_props: 'xaxis.range' }],
      ['_py2js_restyle', { restyle_data: { 'xaxis.range': [0, 1] } }],
    ];
    for (const [key, m] of kept) assert.ok(keeps(key, m), JSON.stringify(m));
  });
});

describe('layout edits that keep the table context', () => {
  test('re-read no trace (the layout alone is read); a new title re-reads them with it', () => {
    const book = bookWith([bar(), bar({ name: 'second' })], STAY);
    for (let i = 0; i < 50; i++) {
      send(book, '_py2js_relayout', {
        relayout_data: { 'annotations[0].text': `epoch ${i}`, 'font.size': 10 + (i % 3) },
      });
    }
    const read = figures(book);
    const withTraces = read.filter((f) => Array.isArray(f.data) && f.data.length > 0);
    assert.equal(withTraces.length, 1, 'the traces were read once, as first drawn');
    assert.ok(
      read.some((f) => JSON.stringify(f.layout).includes('epoch 49')),
      'every layout is still read',
    );
    send(book, '_py2js_relayout', { relayout_data: { 'yaxis.title.text': 'patients' } });
    const after = figures(book).filter((f) => Array.isArray(f.data) && f.data.length > 0);
    assert.equal(after.length, 2, 'a new axis title re-reads both traces with it');
    assert.equal((after[1]?.data as unknown[]).length, 2);
  });
});
