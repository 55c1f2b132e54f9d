/**
 * Plotly figures outside the plotly MIME type are read like it: a plotly FigureWidget draws the
 * traces of its widget state (plotly.py 6: `_widget_data` / `_widget_layout`, with numpy data as
 * typed arrays `{dtype, bdata}`; plotly.py 5: `_data` / `_layout`) and the edits it syncs as state
 * (`_py2js_*`, the frontend's `_js2py_*` echoed back), and a figure dict may be shown as plain
 * JSON. Before, `go.FigureWidget(px.bar(df.diagnosis.value_counts()))` passed whatever it counted.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  checkOutput,
  WidgetStateBook,
  widgetCheckInput,
  WIDGET_STATE_MIME,
  WIDGET_VIEW_MIME,
  type KernelMessageLike,
  type NotebookOutput,
} from '@privet/core/review/index';

/** base64 of a typed array's bytes (little-endian on every machine these tests run on). */
const b64 = (a: ArrayBufferView): string =>
  Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64');
const spec = (dtype: string, a: ArrayBufferView, shape?: string): Record<string, string> =>
  shape === undefined ? { dtype, bdata: b64(a) } : { dtype, bdata: b64(a), shape };

const DIAGNOSES = ['influenza', 'asthma', 'sarcoidosis'];

/** A trace as plotly.py 6 writes `px.bar(df.diagnosis.value_counts())`'s (int64 counts → i1/i2). */
const barTrace = (y: unknown, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  alignmentgroup: 'True',
  hovertemplate: 'diagnosis=%{x}<br>count=%{y}<extra></extra>',
  legendgroup: '',
  marker: { color: '#636efa', pattern: { shape: '' } },
  name: '',
  offsetgroup: '',
  orientation: 'v',
  showlegend: false,
  textposition: 'auto',
  x: DIAGNOSES,
  xaxis: 'x',
  y,
  yaxis: 'y',
  type: 'bar',
  uid: '5d1c2f0e-8a55-4c1e-9a3e-2b7f3c9d1e44',
  ...extra,
});
const pxLayout = {
  barmode: 'relative',
  legend: { tracegroupgap: 0 },
  margin: { t: 60 },
  template: { data: { bar: [{ type: 'bar' }] }, layout: { font: { color: '#2a3f5f' } } },
  xaxis: { anchor: 'y', domain: [0, 1], title: { text: 'diagnosis' } },
  yaxis: { anchor: 'x', domain: [0, 1], title: { text: 'count' } },
};

/** Every `_py2js_*` / `_js2py_*` trait a FigureWidget syncs, unset (as its comm_open sends them). */
const messageTraits = Object.fromEntries(
  [
    '_py2js_addTraces',
    '_py2js_restyle',
    '_py2js_relayout',
    '_py2js_update',
    '_py2js_animate',
    '_py2js_deleteTraces',
    '_py2js_moveTraces',
    '_py2js_removeLayoutProps',
    '_py2js_removeTraceProps',
    '_js2py_traceDeltas',
    '_js2py_layoutDelta',
    '_js2py_restyle',
    '_js2py_relayout',
    '_js2py_update',
    '_js2py_pointsCallback',
  ].map((k) => [k, null]),
);

/** The state plotly.py 6's FigureWidget (an anywidget) opens its comm with. */
const widget6 = (
  data: unknown[],
  layout: Record<string, unknown> = pxLayout,
): Record<string, unknown> => ({
  _model_name: 'AnyModel',
  _model_module: 'anywidget',
  _model_module_version: '~0.9.*',
  _view_name: 'AnyView',
  _view_module: 'anywidget',
  _esm: 'function render({ model, el }) { /* plotly.js bundle */ }',
  _config: {},
  _widget_data: data,
  _widget_layout: layout,
  _last_layout_edit_id: 0,
  _last_trace_edit_id: 0,
  layout: 'IPY_MODEL_lay',
  ...messageTraits,
});

/** The state plotly.py 5's FigureWidget (jupyterlab-plotly's FigureModel) opens its comm with. */
const widget5 = (data: unknown[], layout: Record<string, unknown> = pxLayout) => ({
  _model_name: 'FigureModel',
  _model_module: 'jupyterlab-plotly',
  _view_name: 'FigureView',
  _view_module: 'jupyterlab-plotly',
  _data: data,
  _layout: layout,
  _last_layout_edit_id: 0,
  _last_trace_edit_id: 0,
  layout: 'IPY_MODEL_lay',
  ...messageTraits,
});

const open = (id: string, state: Record<string, unknown>): KernelMessageLike => ({
  channel: 'iopub',
  header: { msg_type: 'comm_open' },
  content: { comm_id: id, target_name: 'jupyter.widget', data: { state, buffer_paths: [] } },
});
const update = (id: string, state: Record<string, unknown>): KernelMessageLike => ({
  channel: 'iopub',
  header: { msg_type: 'comm_msg' },
  content: { comm_id: id, data: { method: 'update', state, buffer_paths: [] } },
});
const view = (id: string): NotebookOutput => ({
  output_type: 'display_data',
  data: {
    'text/plain': "FigureWidget({\n    'data': [{'alignmentgroup': 'True', …",
    [WIDGET_VIEW_MIME]: { model_id: id, version_major: 2, version_minor: 1 },
  },
  metadata: {},
});

/** A book holding a figure widget `fig` (and its layout model) as the kernel opened them. */
function bookWith(state: Record<string, unknown>): WidgetStateBook {
  const book = new WidgetStateBook();
  book.apply(open('lay', { _model_name: 'LayoutModel' }));
  book.apply(open('fig', state));
  return book;
}

/** Holding rules (not info) of the widget output checked with the states it draws, in order. */
function holding(book: WidgetStateBook, id = 'fig'): string[] {
  const input = widgetCheckInput(view(id), [book]);
  assert.equal(input.unreadable, undefined);
  return checkOutput(input.output)
    .findings.filter((f) => f.severity !== 'info')
    .map((f) => f.rule);
}

const SMALL = new Int8Array([120, 14, 3]);
const LARGE = new Int16Array([1200, 410, 230]);

describe('plotly FigureWidget state is read as the figure it draws', () => {
  test('go.FigureWidget(px.bar(value_counts())) in plotly 6: counts as i1 typed arrays', () => {
    assert.equal(b64(SMALL), 'eA4D');
    const book = bookWith(widget6([barTrace(spec('i1', SMALL))]));
    assert.deepEqual(holding(book), ['small-cell']);
    // Where: the bar's row in the figure's table, under the widget state's MIME type.
    const found = checkOutput(widgetCheckInput(view('fig'), [book]).output).findings;
    const small = found.find((f) => f.rule === 'small-cell');
    assert.equal(small?.mime, WIDGET_STATE_MIME);
    assert.deepEqual(small?.location, { row: 2, column: 0 });
    assert.doesNotMatch(small?.message ?? '', /eA4D/);
    // The same figure with counts as a plain list is held the same way.
    assert.deepEqual(holding(bookWith(widget6([barTrace([120, 14, 3])]))), ['small-cell']);
    // Every count at or above the threshold: nothing to hold.
    assert.deepEqual(holding(bookWith(widget6([barTrace(spec('i2', LARGE))]))), []);
  });

  test('plotly 5 FigureWidget (FigureModel: _data / _layout) is read too', () => {
    assert.deepEqual(holding(bookWith(widget5([barTrace([120, 14, 3])]))), ['small-cell']);
    assert.deepEqual(holding(bookWith(widget5([barTrace(spec('i1', SMALL))]))), ['small-cell']);
    assert.deepEqual(holding(bookWith(widget5([barTrace([1200, 410, 230])]))), []);
  });

  test('a pie, a horizontal bar and a heatmap crosstab in widget state', () => {
    const counts = spec('i4', new Int32Array([250, 2, 400]));
    const pie = { type: 'pie', labels: DIAGNOSES, values: counts, name: 'cases' };
    assert.deepEqual(holding(bookWith(widget6([pie]))), ['small-cell']);
    const h = barTrace(undefined, { orientation: 'h', y: DIAGNOSES, x: counts });
    assert.deepEqual(holding(bookWith(widget6([h]))), ['small-cell']);
    const z = spec('u2', new Uint16Array([300, 250, 200, 2, 300, 400]), '2, 3');
    const heat = { type: 'heatmap', x: ['a', 'b', 'c'], y: ['F', 'M'], z };
    assert.deepEqual(holding(bookWith(widget6([heat]))), ['small-cell']);
  });

  test('edits synced as state: restyle, update, addTraces, animate, trace deltas', () => {
    const edits: [string, Record<string, unknown>][] = [
      [
        '_py2js_restyle',
        {
          restyle_data: { y: [spec('i1', SMALL)] },
          restyle_traces: [0],
          trace_edit_id: 1,
          layout_edit_id: 1,
          source_view_id: null,
        },
      ],
      [
        '_py2js_update',
        {
          style_data: { y: [spec('i1', SMALL)] },
          layout_data: { 'yaxis.title.text': 'patients' },
          style_traces: [0],
          trace_edit_id: 1,
          layout_edit_id: 1,
          source_view_id: null,
        },
      ],
      [
        '_py2js_addTraces',
        { trace_data: [barTrace(spec('i1', SMALL))], trace_edit_id: 1, layout_edit_id: 1 },
      ],
      [
        '_py2js_animate',
        {
          style_data: [{ y: spec('i1', SMALL) }],
          layout_data: {},
          style_traces: [0],
          animation_opts: { frame: { duration: 500 } },
          trace_edit_id: 1,
          layout_edit_id: 1,
          source_view_id: null,
        },
      ],
      [
        '_js2py_traceDeltas',
        {
          trace_deltas: [{ uid: '5d1c2f0e-8a55-4c1e-9a3e-2b7f3c9d1e44', y: [120, 14, 3] }],
          trace_edit_id: 1,
        },
      ],
    ];
    for (const [trait, message] of edits) {
      const book = bookWith(widget6([barTrace(spec('i2', LARGE))]));
      assert.deepEqual(holding(book), [], trait);
      // The kernel sets the trait, then None: the check runs on the state the first update makes.
      book.apply(update('fig', { [trait]: message }));
      assert.deepEqual(holding(book), ['small-cell'], trait);
    }
  });

  test('an edit is still read after the kernel resets its trait to None', () => {
    const book = bookWith(widget6([barTrace(spec('i2', LARGE))]));
    const restyle = {
      restyle_data: { y: [spec('i1', SMALL)] },
      restyle_traces: [0],
      trace_edit_id: 1,
      layout_edit_id: 1,
      source_view_id: null,
    };
    book.apply(update('fig', { _py2js_restyle: restyle, _last_trace_edit_id: 1 }));
    book.apply(update('fig', { _py2js_restyle: null }));
    // The figure drawn keeps the restyle; the state shows only None now.
    assert.deepEqual(holding(book), ['small-cell']);
    // A later restyle back to large counts is read too (both edits were drawn in turn).
    book.apply(update('fig', { _py2js_restyle: { ...restyle, restyle_data: { y: [[900]] } } }));
    book.apply(update('fig', { _py2js_restyle: null }));
    assert.deepEqual(holding(book), ['small-cell']);
    // A new comm for the model (the cell run again) starts over.
    book.apply(open('fig', widget6([barTrace(spec('i2', LARGE))])));
    assert.deepEqual(holding(book), []);
  });

  test('past 10,000 kept trace edits the widget is unreadable; zooming keeps none', () => {
    const zoomed = bookWith(widget6([barTrace(spec('i2', LARGE))]));
    for (let k = 0; k < 10_050; k++)
      zoomed.apply(
        update('fig', { _js2py_relayout: { relayout_data: { 'xaxis.range': [0, k + 1] } } }),
      );
    assert.deepEqual(holding(zoomed), []);
    const edited = bookWith(widget6([barTrace(spec('i2', LARGE))]));
    for (let k = 0; k < 10_001; k++)
      edited.apply(
        update('fig', { _py2js_restyle: { restyle_data: { 'marker.color': ['#636efa'] } } }),
      );
    assert.match(
      widgetCheckInput(view('fig'), [edited]).unreadable ?? '',
      /edited more than 10,000 times/,
    );
  });

  test('a typed array that does not decode holds the widget (fail closed)', () => {
    const ok = b64(new Int16Array([3, 250, 2]));
    const bad: [string, unknown][] = [
      ['not base64', { dtype: 'i2', bdata: 'AwD6AA!A' }],
      ['unknown dtype', { dtype: 'i8', bdata: ok }],
      ['no dtype', { bdata: ok }],
      ['shape of another length', { dtype: 'i2', bdata: ok, shape: '2, 2' }],
    ];
    for (const [what, y] of bad) {
      const input = widgetCheckInput(view('fig'), [bookWith(widget6([barTrace(y)]))]);
      const result = checkOutput(input.output);
      assert.ok(
        result.findings.some((f) => f.rule === 'malformed' && /plotly typed array/.test(f.message)),
        what,
      );
      assert.notEqual(result.verdict, 'pass', what);
    }
    // Anywhere in the figure's state, an edit message included.
    const book = bookWith(widget6([barTrace(spec('i2', LARGE))]));
    book.apply(
      update('fig', {
        _py2js_relayout: { relayout_data: { 'xaxis.tickvals': { dtype: 'x', bdata: ok } } },
      }),
    );
    assert.ok(holding(book).includes('malformed'));
  });

  test('decoded numbers reach the identifier scan (customdata, text)', () => {
    const card = 4111111111111111; // a test card number (Luhn-valid), exact in float64
    const trace = barTrace(spec('i2', LARGE), {
      customdata: spec('f8', new Float64Array([card, 1, 2])),
    });
    // (Twice: the hovertemplate's markup makes the strings be read as drawn and as written.)
    assert.deepEqual([...new Set(holding(bookWith(widget6([trace]))))], ['payment-card']);
    const listed = barTrace(spec('i2', LARGE), { customdata: [card, 1, 2] });
    assert.deepEqual([...new Set(holding(bookWith(widget6([listed]))))], ['payment-card']);
  });

  test('benign widgets and look-alikes are unchanged', () => {
    const scatter = {
      type: 'scattergl',
      mode: 'markers',
      x: spec('f8', new Float64Array([0.5, 1.25, 2.75, 3.5])),
      y: spec('f4', new Float32Array([10.5, 11.25, 9.75, 12])),
    };
    assert.deepEqual(holding(bookWith(widget6([scatter]))), []);
    // An empty figure widget, and a widget of another library with a `_data` list.
    assert.deepEqual(holding(bookWith(widget6([]))), []);
    const grid = {
      _model_name: 'GridModel',
      _data: [{ ward: 'A', beds: 300 }],
      layout: 'IPY_MODEL_lay',
    };
    assert.deepEqual(holding(bookWith(grid)), []);
  });
});

describe('a plotly figure shown as other JSON is read as a figure', () => {
  const json = (mime: string, value: unknown): NotebookOutput => ({
    output_type: 'display_data',
    data: { [mime]: value, 'text/plain': '<Figure>' },
    metadata: {},
  });
  const figure = { data: [barTrace(spec('i1', SMALL))], layout: pxLayout };

  test('fig.to_dict() as application/json and in a vendor +json type', () => {
    for (const mime of ['application/json', 'application/vnd.example.dashboard+json']) {
      const found = checkOutput(json(mime, figure)).findings.map((f) => f.rule);
      assert.deepEqual(found, ['small-cell'], mime);
    }
    // A list of figures, and a figure nested under another key.
    const nested = {
      title: 'Ward report',
      figures: [figure, { data: [barTrace([900, 800, 700])] }],
    };
    assert.deepEqual(
      checkOutput(json('application/json', nested)).findings.map((f) => f.rule),
      ['small-cell'],
    );
    const large = { data: [barTrace(spec('i2', LARGE))], layout: pxLayout };
    assert.equal(checkOutput(json('application/json', large)).verdict, 'pass');
  });

  test('a typed array that does not decode in a figure holds it; outside a figure it is JSON', () => {
    const bad = { data: [barTrace({ dtype: 'i8', bdata: 'AAAA' })], layout: pxLayout };
    assert.notEqual(checkOutput(json('application/json', bad)).verdict, 'pass');
    assert.equal(
      checkOutput(json('application/json', { y: { dtype: 'i8', bdata: 'AAAA' } })).verdict,
      'pass',
    );
    // A data resource whose rows have a `type` column is a table, not a figure.
    const resource = {
      schema: { fields: [{ name: 'type', type: 'string' }, { name: 'bdata' }] },
      data: [{ type: 'bar', bdata: '!' }],
    };
    assert.equal(checkOutput(json('application/json', resource)).verdict, 'pass');
  });
});
