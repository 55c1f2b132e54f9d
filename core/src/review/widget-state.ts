/**
 * Why: a Jupyter widget output (ipywidgets: HTML, Label, Output, progress bars, grids) carries only
 * a model id; what the widget draws is its model state, which the kernel sends in comm messages
 * (`comm_open`, then `update`s) outside any output. A check of the output alone would pass every
 * widget, whatever it shows. So hosts feed the kernel's messages to a WidgetStateBook as they
 * arrive (before the widget manager applies them), and check a widget output together with the
 * state of every model it draws. A model whose state the book has not seen, or that carries binary
 * buffers the check cannot read, makes the output unreadable: held, never shown (fail closed).
 * Pure bookkeeping over message objects: no I/O, no host APIs.
 */
import { isViewOnlyEdit } from './figure-view-edits.js';
import type { Finding, NotebookOutput, ReviewResult, Verdict } from './types.js';

/** MIME type of a widget view output. */
export const WIDGET_VIEW_MIME = 'application/vnd.jupyter.widget-view+json';

/** MIME type under which a checked widget output carries the states it draws. */
export const WIDGET_STATE_MIME = 'application/vnd.privet.widget-state+json';

/** The comm target of ipywidgets models. */
const WIDGET_TARGET = 'jupyter.widget';

/** The comm target a frontend opens to ask for every widget's state at once (ipywidgets 8). */
const CONTROL_TARGET = 'jupyter.widget.control';

/** A model reference inside widget state (`children`, `layout`, …). */
const MODEL_REF = /^IPY_MODEL_(.+)$/;

/** Model names whose `value` is HTML that the widget draws as HTML. */
const HTML_MODELS = new Set(['HTMLModel', 'HTMLMathModel']);

/** Most models one widget output may draw (bounds the walk on hostile state). */
const MAX_MODELS = 10_000;

/** A kernel message as far as the book reads it (Jupyter messaging protocol). */
export interface KernelMessageLike {
  readonly channel?: string;
  readonly header: { readonly msg_type: string };
  readonly content: unknown;
  readonly buffers?: readonly unknown[];
}

interface ModelRecord {
  state: Record<string, unknown>;
  /** True once any message for the model carried binary buffers (the check cannot read them). */
  binary: boolean;
  /** The edits a plotly FigureWidget was sent, oldest first (see FIGURE_EDITS). */
  edits?: Record<string, unknown>[];
}

/**
 * Key under which a model's state, as the check reads it, lists the edits it was sent. A plotly
 * FigureWidget gets its edits as message traits (`_py2js_restyle = {…}`, then `None`): the figure
 * it draws keeps them, while its state soon shows only `None`. So the book keeps every edit that
 * changes traces or the layout, oldest first, and the check applies them in that order over a
 * copy of the widget's traces and layout (figure-edits.ts): a title set by a relayout is drawn
 * over the restyles after it, not before them.
 */
export const FIGURE_EDITS = '_privet_figure_edits';

/**
 * The plotly FigureWidget message traits the book keeps: those that carry trace data (what a
 * figure's tables read), change which trace an index names (deleteTraces, moveTraces), change the
 * layout (relayout: axis titles are a table's context) or remove props from the widget's model.
 * Not `_js2py_layoutDelta`: plotly's widget never draws it (it only reports the layout plotly.js
 * computed, after every zoom), and view-only relayouts (isViewOnlyEdit) are left out too, so
 * zooming keeps nothing.
 */
const KEPT_EDITS = new Set([
  '_py2js_addTraces',
  '_py2js_deleteTraces',
  '_py2js_moveTraces',
  '_py2js_restyle',
  '_py2js_update',
  '_py2js_animate',
  '_py2js_relayout',
  '_py2js_removeLayoutProps',
  '_py2js_removeTraceProps',
  '_js2py_restyle',
  '_js2py_update',
  '_js2py_relayout',
  '_js2py_traceDeltas',
]);

/** Most figure edits kept per model; past it the model cannot be read (fail closed). */
const MAX_EDITS = 10_000;

/** What one widget output draws: the states of its models, and what could not be read. */
export interface WidgetClosure {
  /** State of each model drawn, by model id (the output's model first). */
  states: Record<string, Record<string, unknown>>;
  /** Models referenced but never seen in a kernel message. */
  missing: string[];
  /** Models whose state carries binary buffers. */
  binary: string[];
  /** Models sent more figure edits than the book keeps. */
  overEdited?: string[];
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Widget model states as the kernel sent them, by comm (model) id. */
export class WidgetStateBook {
  private readonly models = new Map<string, ModelRecord>();
  /** Control comms the frontend opened (their `update_states` replies carry every state). */
  private readonly controls = new Set<string>();

  /**
   * Applies one kernel message: a widget `comm_open`, a state `update` / `echo_update`, the
   * `update_states` reply on a control comm the frontend opened (`sent`: a message the frontend
   * sent, which only ever opens such a comm), or a `comm_close`. Returns the ids of the models
   * it changed (none for any other message).
   */
  apply(msg: KernelMessageLike, sent = false): string[] {
    if (msg.channel !== undefined && msg.channel !== 'iopub' && !sent) return [];
    const content = msg.content;
    if (!isRecord(content) || typeof content.comm_id !== 'string') return [];
    const id = content.comm_id;
    const data = isRecord(content.data) ? content.data : {};
    if (sent) {
      // Only the frontend's control comm is believed: a kernel could send `update_states` on a
      // comm of its own, which the widget manager would ignore but the book would not.
      if (msg.header.msg_type === 'comm_open' && content.target_name === CONTROL_TARGET)
        this.controls.add(id);
      return [];
    }
    const binary = (msg.buffers?.length ?? 0) > 0;
    const state = isRecord(data.state) ? data.state : undefined;
    switch (msg.header.msg_type) {
      case 'comm_open':
        if (content.target_name !== WIDGET_TARGET) return [];
        this.models.set(id, { state: { ...(state ?? {}) }, binary });
        return [id];
      case 'comm_msg': {
        if (data.method === 'update_states' && this.controls.has(id))
          return this.applyAll(data.states, data.buffer_paths);
        if (data.method !== 'update' && data.method !== 'echo_update') return [];
        if (!state) return [];
        const known = this.models.get(id);
        // A full state for a comm opened before the book listened (a reconnecting frontend asks
        // the kernel for every widget's state); partial updates of unknown comms are not widgets
        // the book can vouch for.
        if (!known && typeof state._model_name !== 'string') return [];
        const record: ModelRecord = known ?? { state: {}, binary: false };
        record.state = { ...record.state, ...state };
        record.binary ||= binary;
        for (const [key, value] of Object.entries(state))
          if (KEPT_EDITS.has(key) && isRecord(value) && !isViewOnlyEdit(key, value)) {
            const edits = (record.edits ??= []);
            // One past the cap marks the model unreadable; none is kept after that.
            if (edits.length <= MAX_EDITS) edits.push({ [key]: value });
          }
        this.models.set(id, record);
        return [id];
      }
      case 'comm_close':
        if (this.controls.delete(id)) return [];
        return this.models.delete(id) ? [id] : [];
      default:
        return [];
    }
  }

  /**
   * Every widget's full state at once (`{ id: { model_name, state } }`); a model with a buffer
   * path (`[id, 'state', …]`) carries binary data.
   */
  private applyAll(states: unknown, bufferPaths: unknown): string[] {
    if (!isRecord(states)) return [];
    const withBuffers = new Set<string>();
    if (Array.isArray(bufferPaths))
      for (const path of bufferPaths)
        if (Array.isArray(path) && typeof path[0] === 'string') withBuffers.add(path[0]);
    const changed: string[] = [];
    for (const [id, entry] of Object.entries(states)) {
      if (!isRecord(entry) || !isRecord(entry.state)) continue;
      const state = { ...entry.state };
      if (typeof entry.model_name === 'string') state._model_name ??= entry.model_name;
      this.models.set(id, { state, binary: withBuffers.has(id) });
      changed.push(id);
    }
    return changed;
  }

  /** Forgets every model (the kernel changed or restarted). */
  clear(): void {
    this.models.clear();
    this.controls.clear();
  }

  /** True when the book has seen the model's state. */
  has(modelId: string): boolean {
    return this.models.has(modelId);
  }

  /** The model and every model its state references (`IPY_MODEL_…`), transitively. */
  closure(modelId: string): WidgetClosure {
    const states: Record<string, Record<string, unknown>> = {};
    const missing: string[] = [];
    const binary: string[] = [];
    let overEdited: string[] | undefined;
    const queue = [modelId];
    const seen = new Set(queue);
    while (queue.length > 0 && seen.size <= MAX_MODELS) {
      const id = queue.shift()!;
      const record = this.models.get(id);
      if (!record) {
        missing.push(id);
        continue;
      }
      const edits = record.edits;
      states[id] = edits === undefined ? record.state : { ...record.state, [FIGURE_EDITS]: edits };
      if (record.binary) binary.push(id);
      if ((edits?.length ?? 0) > MAX_EDITS) (overEdited ??= []).push(id);
      forEachString(record.state, (s) => {
        const ref = MODEL_REF.exec(s)?.[1];
        if (ref !== undefined && !seen.has(ref)) {
          seen.add(ref);
          queue.push(ref);
        }
      });
    }
    if (queue.length > 0) missing.push(...queue); // past the cap: not read, so not vouched for
    return { states, missing, binary, ...(overEdited ? { overEdited } : {}) };
  }
}

/** Calls `visit` on every string inside `value` (arrays and objects, any depth). */
function forEachString(value: unknown, visit: (s: string) => void): void {
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const v = stack.pop();
    if (typeof v === 'string') visit(v);
    else if (Array.isArray(v)) for (const x of v) stack.push(x);
    else if (isRecord(v)) for (const x of Object.values(v)) stack.push(x);
  }
}

/** The model id a widget view output shows, or undefined for any other output. */
export function widgetModelId(output: NotebookOutput): string | undefined {
  if (output.output_type === 'stream' || output.output_type === 'error') return undefined;
  const view = output.data[WIDGET_VIEW_MIME];
  return isRecord(view) && typeof view.model_id === 'string' ? view.model_id : undefined;
}

/** A widget output as the check reads it, and why parts of it cannot be read. */
export interface WidgetCheckInput {
  /** The output plus the states it draws (and HTML widget values as `text/html`). */
  output: NotebookOutput;
  /** Every model the output draws (a change to any of them calls for a new check). */
  models: string[];
  /** Why the output cannot be checked in full (fail closed), if it cannot. */
  unreadable?: string;
}

/**
 * `output` (a widget view) with the state of every model it draws added under WIDGET_STATE_MIME,
 * and the values of HTML widgets joined under `text/html` so table rules read them as drawn. With
 * several books (e.g. the states received and the states the widget manager has applied, which
 * lag behind), every distinct state is included: the output passes only if all of them do.
 */
export function widgetCheckInput(
  output: NotebookOutput,
  books: readonly WidgetStateBook[],
): WidgetCheckInput {
  const modelId = widgetModelId(output);
  if (modelId === undefined || output.output_type === 'stream' || output.output_type === 'error')
    return { output, models: [] };
  const closures = books.map((book) => book.closure(modelId));
  const distinct = new Map<string, Record<string, Record<string, unknown>>>();
  for (const c of closures) distinct.set(JSON.stringify(c.states), c.states);
  const models = new Set<string>();
  const missing = new Set<string>();
  const binary = new Set<string>();
  const overEdited = new Set<string>();
  const html: string[] = [];
  for (const c of closures) {
    for (const id of Object.keys(c.states)) models.add(id);
    for (const id of c.missing) {
      missing.add(id);
      models.add(id);
    }
    for (const id of c.binary) binary.add(id);
    for (const id of c.overEdited ?? []) overEdited.add(id);
  }
  for (const states of distinct.values())
    for (const state of Object.values(states))
      if (HTML_MODELS.has(String(state._model_name)) && typeof state.value === 'string')
        html.push(state.value);
  const all = [...distinct.values()];
  const data: Record<string, unknown> = {
    ...output.data,
    [WIDGET_STATE_MIME]: all.length === 1 ? all[0] : all,
  };
  if (html.length > 0) data['text/html'] = html.join('\n');
  const reasons: string[] = [];
  if (missing.size > 0)
    reasons.push(
      `an interactive widget whose state Privet has not seen (${missing.size} model${missing.size === 1 ? '' : 's'}: made before this notebook connected to the kernel, or restored from the file); run the cell again`,
    );
  if (binary.size > 0)
    reasons.push(
      'an interactive widget with binary data (e.g. arrays), which the check cannot read; show the data as a table or plot output instead',
    );
  if (overEdited.size > 0)
    reasons.push(
      `a plotly figure widget edited more than ${MAX_EDITS.toLocaleString('en')} times, more than Privet keeps to check; run the cell again`,
    );
  return {
    output: { ...output, data },
    models: [...models],
    ...(reasons.length > 0 ? { unreadable: reasons.join('; ') } : {}),
  };
}

/** A `malformed` finding that holds a widget output for `reason` (what cannot be read, and why). */
export function widgetFinding(reason: string): Finding {
  return {
    rule: 'malformed',
    severity: 'flag',
    mime: WIDGET_VIEW_MIME,
    location: { start: 0, end: 0 },
    message: reason,
  };
}

/**
 * For a host that cannot see the kernel's widget messages (VS Code, where the Jupyter extension
 * owns the kernel connection): the finding that holds a widget output, whose drawing cannot be
 * checked there, or null for any other output.
 */
export function widgetUncheckedFinding(output: NotebookOutput, where: string): Finding | null {
  if (output.output_type === 'stream' || output.output_type === 'error') return null;
  if (!(WIDGET_VIEW_MIME in output.data)) return null;
  return widgetFinding(
    `an interactive widget (ipywidgets): what it draws comes from the kernel outside the output, and ${where} gives Privet no way to check it; show the data as a table or plot output, or use JupyterLab, where widgets are checked`,
  );
}

const RANK: Record<Verdict, number> = { pass: 0, flag: 1, block: 2 };

/** `result` also held by `finding` (the worse verdict, the finding added); unchanged for null. */
export function withFinding(result: ReviewResult, finding: Finding | null): ReviewResult {
  if (!finding) return result;
  const verdict: Verdict =
    finding.severity === 'info' || RANK[result.verdict] >= RANK[finding.severity]
      ? result.verdict
      : finding.severity;
  return { ...result, verdict, findings: [...result.findings, finding] };
}
