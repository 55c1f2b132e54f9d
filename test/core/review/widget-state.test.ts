/**
 * Widget outputs are checked with the state they draw: the output itself holds only a model id, so
 * without the states the kernel sent in comm messages every widget would pass whatever it shows.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  checkOutput,
  WidgetStateBook,
  widgetCheckInput,
  widgetUncheckedFinding,
  withFinding,
  WIDGET_VIEW_MIME,
  type KernelMessageLike,
  type NotebookOutput,
} from '@privet/core/review/index';

const open = (id: string, state: Record<string, unknown>, buffers = 0): KernelMessageLike => ({
  channel: 'iopub',
  header: { msg_type: 'comm_open' },
  content: { comm_id: id, target_name: 'jupyter.widget', data: { state, buffer_paths: [] } },
  buffers: Array.from({ length: buffers }, () => new ArrayBuffer(8)),
});
const update = (id: string, state: Record<string, unknown>): KernelMessageLike => ({
  channel: 'iopub',
  header: { msg_type: 'comm_msg' },
  content: { comm_id: id, data: { method: 'update', state, buffer_paths: [] } },
});
const view = (id: string): NotebookOutput => ({
  output_type: 'display_data',
  data: {
    'text/plain': 'HTML(value=...)',
    [WIDGET_VIEW_MIME]: { model_id: id, version_major: 2, version_minor: 0 },
  },
  metadata: {},
});
const html = (value: string) => ({ _model_name: 'HTMLModel', value, layout: 'IPY_MODEL_l1' });
const layout = { _model_name: 'LayoutModel', width: '50%' };

/** Holding rules of the widget output checked with its states, and why it is unreadable. */
function verdictOf(book: WidgetStateBook, id: string): { rules: string[]; unreadable?: string } {
  const input = widgetCheckInput(view(id), [book]);
  const rules = [
    ...new Set(
      checkOutput(input.output, { mode: 'display' })
        .findings.filter((f) => f.severity !== 'info')
        .map((f) => f.rule),
    ),
  ].sort();
  return { rules, ...(input.unreadable ? { unreadable: input.unreadable } : {}) };
}

describe('widget outputs are checked with the state they draw', () => {
  test('an HTML widget showing an address is held; the output alone would pass', () => {
    const book = new WidgetStateBook();
    book.apply(open('l1', layout));
    book.apply(open('w1', html('<b>Contact: jane.roe@example.org</b>')));
    assert.equal(checkOutput(view('w1')).verdict, 'pass', 'the bare output shows nothing');
    assert.deepEqual(verdictOf(book, 'w1'), { rules: ['email'] });
  });

  test("a child's state counts: a Label inside a box", () => {
    const book = new WidgetStateBook();
    book.apply(open('l1', layout));
    book.apply(open('c1', { _model_name: 'LabelModel', value: 'SSN 123-45-6789 on file' }));
    book.apply(open('c2', html('ok')));
    book.apply(
      open('box', { _model_name: 'HBoxModel', children: ['IPY_MODEL_c2', 'IPY_MODEL_c1'] }),
    );
    assert.deepEqual(verdictOf(book, 'box').rules, ['ssn']);
    const input = widgetCheckInput(view('box'), [book]);
    assert.deepEqual(input.models.sort(), ['box', 'c1', 'c2', 'l1']);
  });

  test('a progress bar passes; an update that shows an address is held', () => {
    const book = new WidgetStateBook();
    book.apply(open('l1', layout));
    book.apply(open('bar', { _model_name: 'FloatProgressModel', value: 0, max: 100 }));
    book.apply(open('label', html('0%')));
    book.apply(
      open('tqdm', { _model_name: 'HBoxModel', children: ['IPY_MODEL_label', 'IPY_MODEL_bar'] }),
    );
    assert.deepEqual(verdictOf(book, 'tqdm'), { rules: [] });
    assert.deepEqual(book.apply(update('bar', { value: 50 })), ['bar']);
    assert.deepEqual(verdictOf(book, 'tqdm'), { rules: [] });
    assert.deepEqual(book.apply(update('label', { value: 'done: mail jane.roe@example.org' })), [
      'label',
    ]);
    assert.deepEqual(verdictOf(book, 'tqdm').rules, ['email']);
  });

  test('a small count in an HTML widget table is read as a table', () => {
    const book = new WidgetStateBook();
    book.apply(open('l1', layout));
    const table =
      '<table><tr><th>diagnosis</th><th>count</th></tr><tr><td>flu</td><td>120</td></tr>' +
      '<tr><td>rare</td><td>3</td></tr></table>';
    book.apply(open('t1', html(table)));
    assert.deepEqual(verdictOf(book, 't1').rules, ['small-cell']);
  });

  test('unseen or closed models, and binary buffers, make the output unreadable', () => {
    const book = new WidgetStateBook();
    assert.match(verdictOf(book, 'nope').unreadable ?? '', /has not seen .*run the cell again/);
    // A partial update of a comm the book never saw is not vouched for; a full state is.
    book.apply(update('late', { value: 'x' }));
    assert.equal(book.has('late'), false);
    book.apply(update('late', { _model_name: 'LabelModel', value: 'hello' }));
    assert.equal(verdictOf(book, 'late').unreadable, undefined);
    book.apply(open('l1', layout));
    book.apply(open('grid', { _model_name: 'DataGridModel', layout: 'IPY_MODEL_l1' }, 2));
    assert.match(verdictOf(book, 'grid').unreadable ?? '', /binary data/);
    book.apply({
      channel: 'iopub',
      header: { msg_type: 'comm_close' },
      content: { comm_id: 'late', data: {} },
    });
    assert.match(verdictOf(book, 'late').unreadable ?? '', /has not seen/);
  });

  test('with the received and the applied states, both must pass', () => {
    const received = new WidgetStateBook();
    const applied = new WidgetStateBook();
    for (const book of [received, applied]) {
      book.apply(open('l1', layout));
      book.apply(open('w', html('<b>Contact: jane.roe@example.org</b>')));
    }
    // Received a harmless update the widget manager has not applied yet: still held.
    received.apply(update('w', { value: 'ok' }));
    const rulesOf = (books: WidgetStateBook[]): string[] => [
      ...new Set(
        checkOutput(widgetCheckInput(view('w'), books).output).findings.map((f) => f.rule),
      ),
    ];
    assert.deepEqual(rulesOf([received]), []);
    assert.deepEqual(rulesOf([received, applied]), ['email']);
    applied.apply(update('w', { value: 'ok' }));
    assert.deepEqual(rulesOf([received, applied]), []);
    // A model received but not yet applied is not vouched for.
    received.apply(open('n', html('new')));
    assert.match(widgetCheckInput(view('n'), [received, applied]).unreadable ?? '', /not seen/);
  });

  test("a reconnecting frontend's control comm gets every state at once; no other comm does", () => {
    const book = new WidgetStateBook();
    const states = {
      w1: { model_name: 'HTMLModel', state: { value: 'mail jane.roe@example.org' } },
      g1: { model_name: 'DataGridModel', state: { data: null } },
    };
    const reply = (comm: string): KernelMessageLike => ({
      channel: 'iopub',
      header: { msg_type: 'comm_msg' },
      content: {
        comm_id: comm,
        data: { method: 'update_states', states, buffer_paths: [['g1', 'state', 'data']] },
      },
      buffers: [new ArrayBuffer(8)],
    });
    // A kernel's own comm cannot vouch for states the widget manager would never apply.
    assert.deepEqual(book.apply(reply('kernel-made')), []);
    book.apply(
      {
        channel: 'shell',
        header: { msg_type: 'comm_open' },
        content: { comm_id: 'ctl', target_name: 'jupyter.widget.control', data: {} },
      },
      true,
    );
    assert.deepEqual(book.apply(reply('ctl')).sort(), ['g1', 'w1']);
    assert.deepEqual(verdictOf(book, 'w1').rules, ['email']);
    assert.match(verdictOf(book, 'g1').unreadable ?? '', /binary data/);
  });

  test('other comms and messages are ignored; clear() forgets every model', () => {
    const book = new WidgetStateBook();
    const other: KernelMessageLike = {
      channel: 'iopub',
      header: { msg_type: 'comm_open' },
      content: { comm_id: 'x', target_name: 'other.target', data: { state: { value: 1 } } },
    };
    assert.deepEqual(book.apply(other), []);
    assert.deepEqual(book.apply({ header: { msg_type: 'status' }, content: {} }), []);
    book.apply(open('w', html('hi')));
    book.clear();
    assert.equal(book.has('w'), false);
  });

  test('where widget messages are out of sight, a widget output is held', () => {
    const finding = widgetUncheckedFinding(view('w'), 'VS Code');
    assert.match(finding?.message ?? '', /VS Code gives Privet no way to check it/);
    const result = withFinding(checkOutput(view('w')), finding);
    assert.equal(result.verdict, 'flag');
    assert.deepEqual(
      result.findings.map((f) => f.rule),
      ['malformed'],
    );
    const plain: NotebookOutput = { output_type: 'stream', name: 'stdout', text: 'hi' };
    assert.equal(widgetUncheckedFinding(plain, 'VS Code'), null);
    assert.equal(withFinding(checkOutput(plain), null).verdict, 'pass');
  });
});
