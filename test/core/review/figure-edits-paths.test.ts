/**
 * A plotly FigureWidget's edits name attributes as plotly.js reads them: dotted keys with bracket
 * indexes (`'y[1]'`, `'z[1][0]'`, `'annotations[0].text'`), and null resets an attribute. Before,
 * the widget book split paths on dots only, so `restyle({'y[1]': 2})` set a key named "y[1]" and
 * the review read the old counts while plotly drew a 2; a null was kept as a value.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { checkOutput, widgetCheckInput, type WidgetStateBook } from '@privet/core/review/index';
import { EditedFigure } from '@privet/core/review/figure-edits';
import { bar, bookWith, DIAGNOSES, figures, holding, send, view } from './widget-book-fixture.js';

/** The traces of the last figure read that has any (every trace as finally drawn). */
function lastTraces(book: WidgetStateBook | EditedFigure): Record<string, unknown>[] {
  const all = book instanceof EditedFigure ? book.finish() : figures(book);
  const data = all.findLast((f) => Array.isArray(f.data) && f.data.length > 0)?.data;
  assert.ok(Array.isArray(data));
  return data as Record<string, unknown>[];
}

const restyle = (book: WidgetStateBook, style: Record<string, unknown>, traces = [0]): void =>
  send(book, '_py2js_restyle', { restyle_data: style, restyle_traces: traces });

describe('bracket indexes are applied as plotly.js applies them', () => {
  test("restyle({'y[1]': 2}) sets the drawn count: the bar chart is held", () => {
    const trace = bar();
    const book = bookWith([trace]);
    assert.deepEqual(holding(book), []);
    restyle(book, { 'y[1]': 2 });
    assert.ok(holding(book).includes('small-cell'));
    const [drawn] = lastTraces(book);
    assert.deepEqual(drawn?.y, [1200, 2, 230]);
    assert.equal(Object.hasOwn(drawn ?? {}, 'y[1]'), false);
    // The input is never changed: the state first drawn is still read with its own counts.
    assert.deepEqual(trace.y, [1200, 410, 230]);
    assert.deepEqual((figures(book)[0]?.data as Record<string, unknown>[])[0]?.y, trace.y);
  });

  test('a list value gives each named trace its item, at that index', () => {
    const book = bookWith([bar(), bar({ y: [900, 800, 700] })]);
    restyle(book, { 'y[0]': [1300, 3] }, [0, 1]);
    assert.ok(holding(book).includes('small-cell'));
    assert.deepEqual(
      lastTraces(book).map((t) => t.y),
      [
        [1300, 410, 230],
        [3, 800, 700],
      ],
    );
  });

  test('an index at the end appends a bar; past it, holes (null) fill the gap', () => {
    const book = bookWith([bar({ y: [1200, 410] })]);
    assert.deepEqual(holding(book), []);
    restyle(book, { 'y[2]': 3 });
    assert.ok(holding(book).includes('small-cell'));
    assert.deepEqual(lastTraces(book)[0]?.y, [1200, 410, 3]);

    // (A hole draws no bar; the axis title says the bars are counts.)
    const gap = bookWith([bar({ y: [1200] })], { yaxis: { title: { text: 'patients' } } });
    restyle(gap, { 'y[2]': 4 });
    assert.ok(holding(gap).includes('small-cell'));
    assert.deepEqual(lastTraces(gap)[0]?.y, [1200, null, 4]);
  });

  test('nested indexes (a heatmap cell z[1][0]) and an array created where there was none', () => {
    const heat = {
      type: 'heatmap',
      x: ['influenza', 'asthma'],
      y: ['female', 'male'],
      z: [
        [1200, 410],
        [530, 640],
      ],
    };
    const book = bookWith([heat]);
    assert.deepEqual(holding(book), []);
    restyle(book, { 'z[1][0]': 2 });
    assert.ok(holding(book).includes('small-cell'));
    assert.deepEqual(lastTraces(book)[0]?.z, [
      [1200, 410],
      [2, 640],
    ]);
    assert.deepEqual(heat.z[1], [530, 640]);

    // plotly makes a list where an index names a missing container, an object before a key.
    const made = bookWith([bar({ marker: {} })]);
    restyle(made, { 'marker.color[2]': 'red', 'error_y.array[1]': 5, 'hoverlabel.font.size': 9 });
    const [drawn] = lastTraces(made);
    assert.deepEqual(drawn?.marker, { color: [null, null, 'red'] });
    assert.deepEqual(drawn?.error_y, { array: [null, 5] });
    assert.deepEqual(drawn?.hoverlabel, { font: { size: 9 } });
  });

  test('relayout and update read indexes in layout paths too', () => {
    const layout = {
      annotations: [{ text: 'n = 4,210' }, { text: 'source: registry' }],
      xaxis: { range: [0, 5] },
    };
    const figure = new EditedFigure([bar()], layout);
    figure.apply('_py2js_relayout', {
      relayout_data: { 'annotations[0].text': 'n = 3', 'xaxis.range[1]': 9 },
    });
    figure.apply('_py2js_update', {
      layout_data: { 'annotations[1].font.size': 10 },
      style_data: { 'y[2]': 7 },
      style_traces: [0],
    });
    assert.deepEqual(lastTraces(figure)[0]?.y, [1200, 410, 7]);
    assert.deepEqual(figure.finish().at(-1)?.layout, {
      annotations: [{ text: 'n = 3' }, { text: 'source: registry', font: { size: 10 } }],
      xaxis: { range: [0, 9] },
    });
    assert.deepEqual(layout.annotations[0], { text: 'n = 4,210' });
    assert.deepEqual(layout.xaxis.range, [0, 5]);
  });

  test('[-1] sets the attribute in every item of a list (a list value cycled)', () => {
    const figure = new EditedFigure(
      [bar({ transforms: [{ type: 'filter' }, { type: 'groupby' }, { type: 'sort' }] })],
      {},
    );
    figure.apply('_py2js_restyle', {
      restyle_data: { 'transforms[-1].enabled': [[true, false]] },
      restyle_traces: [0],
    });
    assert.deepEqual(lastTraces(figure)[0]?.transforms, [
      { type: 'filter', enabled: true },
      { type: 'groupby', enabled: false },
      { type: 'sort', enabled: true },
    ]);
  });
});

describe('null resets an attribute (it is removed, as plotly.js resets it)', () => {
  test('restyle, relayout and update: null removes the value and the containers left empty', () => {
    const book = bookWith([bar({ text: ['a', 'b', 'c'] })], {
      title: { text: 'visits' },
      yaxis: { title: { text: 'patients' }, anchor: 'x' },
    });
    restyle(book, { 'marker.color': null, text: null });
    send(book, '_py2js_relayout', { relayout_data: { 'title.text': null } });
    send(book, '_py2js_update', {
      layout_data: { 'yaxis.title': null },
      style_data: { 'marker.line.width': null, 'y[2]': null },
      style_traces: [0],
    });
    assert.deepEqual(figures(book).at(-1)?.layout, { yaxis: { anchor: 'x' } });
    assert.deepEqual(lastTraces(book)[0], {
      type: 'bar',
      x: DIAGNOSES,
      // A deleted item is a hole; holes at the end are dropped.
      y: [1200, 410],
    });
  });

  test('a null item inside a list is a hole; a null for what is not there changes nothing', () => {
    const figure = new EditedFigure([bar()], { yaxis: { anchor: 'x' } });
    figure.apply('_py2js_restyle', {
      restyle_data: { 'y[0]': null, 'error_x.array[3]': null, 'hoverlabel.font': null },
      restyle_traces: [0],
    });
    figure.apply('_py2js_relayout', { relayout_data: { 'xaxis.title.text': null } });
    assert.deepEqual(figure.finish().at(-1)?.layout, { yaxis: { anchor: 'x' } });
    assert.deepEqual(lastTraces(figure)[0], bar({ y: [null, 410, 230] }));
  });

  test('a held state stays held after a null removes what made it a count table', () => {
    const book = bookWith([bar({ y: [950, 2, 3] })], {
      yaxis: { title: { text: 'patients' } },
    });
    send(book, '_py2js_relayout', { relayout_data: { 'yaxis.title.text': null } });
    restyle(book, { 'y[1]': 700, 'y[2]': 800 });
    assert.ok(holding(book).includes('small-cell'));
    assert.deepEqual(lastTraces(book)[0]?.y, [950, 700, 800]);
    assert.deepEqual(figures(book).at(-1)?.layout, {});
  });
});

describe('malformed and unsafe paths change nothing', () => {
  test('each refused path leaves the figure as first drawn', () => {
    // A restyle that sets nothing still draws the trace again (as before): the baseline.
    const unedited = bookWith([bar({ name: 'visits' })]);
    restyle(unedited, {});
    const baseline = JSON.stringify(figures(unedited));
    const bad = [
      'y[1',
      'y]1[',
      'y[1]]',
      'y[[1]]',
      'y[1.5]',
      'y[a]',
      'y[-2]',
      'y[-1]',
      'transforms[-1][-2]',
      'y[12345678901]',
      'y[1]x',
      '.y',
      'y.',
      'marker..color',
      '[0]',
      '[0].y',
      '__proto__.polluted',
      'marker.__proto__.polluted',
      'constructor.prototype',
      'y[0].prototype',
      // An index on what is not a list, a key on a list or a plain value: plotly draws nothing.
      'name[0]',
      'marker[0]',
      'y.first',
      'name.text',
      Array.from({ length: 65 }, () => 'marker').join('.'),
    ];
    for (const path of bad) {
      const book = bookWith([bar({ name: 'visits' })]);
      restyle(book, { [path]: 2 });
      assert.equal(JSON.stringify(figures(book)), baseline, path);
    }
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });

  test('well formed edits do change the figure (`[]` is index 0, as plotly reads it)', () => {
    const book = bookWith([bar({ name: 'visits' })]);
    restyle(book, { 'y[1]': 2, 'y[]': 7, 'marker.line.width': 3 });
    assert.deepEqual(lastTraces(book)[0], {
      ...bar({ name: 'visits' }),
      y: [7, 2, 230],
      marker: { color: '#636efa', line: { width: 3 } },
    });
    restyle(book, { 'y[-0]': 5 });
    assert.deepEqual(lastTraces(book)[0]?.y, [5, 2, 230]);
  });
});

describe('caps on what an index edit may allocate', () => {
  test('an index past 999,999 or more than 10,000 past the end is refused, and said to be', () => {
    for (const index of [1_000_000, 10_004]) {
      const figure = new EditedFigure([bar()], {});
      figure.apply('_py2js_restyle', { restyle_data: { [`y[${index}]`]: 2 }, restyle_traces: [0] });
      assert.deepEqual(lastTraces(figure)[0]?.y, [1200, 410, 230], String(index));
      assert.equal(figure.indexEditUnfollowed, true, String(index));
    }
    const figure = new EditedFigure([bar()], {});
    figure.apply('_py2js_restyle', { restyle_data: { 'y[10003]': 2 }, restyle_traces: [0] });
    assert.equal((lastTraces(figure)[0]?.y as unknown[]).length, 10_004);
    assert.equal(figure.indexEditUnfollowed, false);
  });

  test('index edits of one figure copy at most 4,000,000 list items in all', () => {
    const figure = new EditedFigure([bar({ y: new Array<number>(1_000_000).fill(500) })], {});
    for (let k = 0; k < 5; k++)
      figure.apply('_py2js_restyle', { restyle_data: { [`y[${k}]`]: 2 }, restyle_traces: [0] });
    const y = lastTraces(figure)[0]?.y as number[];
    assert.deepEqual(y.slice(0, 6), [2, 2, 2, 2, 500, 500]);
    assert.equal(figure.indexEditUnfollowed, true);
  });
});

describe('an edit past the caps holds the output', () => {
  test('plotly draws it, the book cannot follow: malformed, never shown as the old counts', () => {
    const book = bookWith([bar()]);
    assert.deepEqual(holding(book), []);
    restyle(book, { 'y[1000000]': 2 });
    const findings = checkOutput(widgetCheckInput(view, [book]).output).findings;
    const malformed = findings.find((f) => f.rule === 'malformed');
    assert.ok(malformed, 'held');
    assert.match(malformed.message, /edits of list items the check cannot follow were not checked/);
  });

  test('an index edit into a typed array (numpy data, plotly.py 6) is held too', () => {
    // 3 little-endian int32 counts, base64: [1200, 410, 230].
    const bdata = Buffer.from(new Int32Array([1200, 410, 230]).buffer).toString('base64');
    const book = bookWith([bar({ y: { dtype: 'i4', bdata } })]);
    assert.deepEqual(holding(book), []);
    restyle(book, { 'y[1]': 2 });
    const findings = checkOutput(widgetCheckInput(view, [book]).output).findings;
    assert.ok(findings.some((f) => f.rule === 'malformed'));
  });
});
