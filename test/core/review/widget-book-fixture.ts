/**
 * A plotly.py 6 FigureWidget `fig` in a widget book, as the kernel opens and edits it, for the
 * widget-edit tests (figure-edits-remove, figure-edits-paths, widget-edits-combined): the book, one
 * edit sent as plotly.py sends it, the figures the check reads, and the rules that hold the
 * widget's output.
 */
import assert from 'node:assert/strict';
import {
  checkOutput,
  WidgetStateBook,
  widgetCheckInput,
  WIDGET_VIEW_MIME,
  type KernelMessageLike,
  type NotebookOutput,
} from '@privet/core/review/index';
import { widgetFigures, type Figure } from '@privet/core/review/plotly-figures';

/** The categories of the bar charts the tests draw. */
export const DIAGNOSES = ['influenza', 'asthma', 'sarcoidosis'];

const open = (state: Record<string, unknown>): KernelMessageLike => ({
  channel: 'iopub',
  header: { msg_type: 'comm_open' },
  content: { comm_id: 'fig', target_name: 'jupyter.widget', data: { state, buffer_paths: [] } },
});
/** A kernel's `update` message setting `state` on the widget `fig`. */
export const update = (state: Record<string, unknown>): KernelMessageLike => ({
  channel: 'iopub',
  header: { msg_type: 'comm_msg' },
  content: { comm_id: 'fig', data: { method: 'update', state, buffer_paths: [] } },
});

/** The output that shows the widget `fig`. */
export const view: NotebookOutput = {
  output_type: 'display_data',
  data: { 'text/plain': 'FigureWidget({…})', [WIDGET_VIEW_MIME]: { model_id: 'fig' } },
  metadata: {},
};

/** A book holding the widget `fig` as the kernel opened it with `state`. */
export function bookOpenedWith(state: Record<string, unknown>): WidgetStateBook {
  const book = new WidgetStateBook();
  book.apply(open(state));
  return book;
}

/** A book holding a plotly.py 6 FigureWidget `fig` as the kernel opened it. */
export function bookWith(data: unknown[], layout: Record<string, unknown> = {}): WidgetStateBook {
  return bookOpenedWith({
    _model_name: 'AnyModel',
    _widget_data: data,
    _widget_layout: layout,
    _esm: '',
  });
}

/** Sends one edit as plotly.py does: the trait set to the message, then back to None. */
export function send(book: WidgetStateBook, trait: string, message: Record<string, unknown>): void {
  book.apply(update({ [trait]: message }));
  book.apply(update({ [trait]: null }));
}

/** The figures the check reads from the widget's state, in order. */
export function figures(book: WidgetStateBook): Figure[] {
  const state = book.closure('fig').states.fig;
  assert.ok(state);
  const out = widgetFigures(state as Figure);
  assert.ok(out);
  return out;
}

/** Holding rules (not info) of the widget output (`view` unless given) checked with its states. */
export function holding(book: WidgetStateBook, output: NotebookOutput = view): string[] {
  const input = widgetCheckInput(output, [book]);
  assert.equal(input.unreadable, undefined);
  return checkOutput(input.output)
    .findings.filter((f) => f.severity !== 'info')
    .map((f) => f.rule);
}

/** A bar trace of DIAGNOSES with large counts (and a marker), with `extra` over it. */
export const bar = (extra: Record<string, unknown> = {}) => ({
  type: 'bar',
  x: DIAGNOSES,
  y: [1200, 410, 230],
  marker: { color: '#636efa', line: { width: 1 } },
  ...extra,
});
