/**
 * Why: a plotly FigureWidget draws its edits one over another — a restyle that sets the counts,
 * then one that sets the labels, shows both at once — so each edit is applied, in the order the
 * kernel sent it, over a copy of the traces and layout the edits before it left. The figures to
 * read are the widget as first drawn, each trace an edit changes as that edit leaves it (with the
 * layout then drawn: every intermediate state of every trace), and at the end every trace not yet
 * read with the final layout. Edits are applied as plotly.js applies them (restyle, update,
 * animate, addTraces, deleteTraces, moveTraces, relayout, trace deltas by uid, and the props
 * plotly.py removes from the widget's model: removeLayoutProps / removeTraceProps; attribute
 * strings with bracket indexes, and null as a reset, as plotly reads them: plotly-path.ts); a
 * message plotly.js would refuse (bad trace indexes, malformed key paths) changes nothing, and
 * values given to a trace the figure does not have are still read, alone (fail closed: the book
 * may not know every trace the figure has). A removed prop leaves later states without it, never
 * earlier ones: the state that showed it was read when it was drawn. The trace edits themselves
 * are in figure-trace-edits.ts, relayouts (and their component lists) in figure-relayout.ts, prop
 * removals in figure-props.ts, and the view-only edits the widget book drops in
 * figure-view-edits.ts.
 */
import { isRecord, type Json } from './json-value.js';
import { tableContext } from './plot-tables.js';
import { keyPaths, removeProps } from './figure-props.js';
import {
  animateTraces,
  deleteTraces,
  hasTrace,
  mergeTraceDeltas,
  moveTraces,
  restyleTraces,
} from './figure-trace-edits.js';
import { relayout } from './figure-relayout.js';
import { IndexBudget } from './plotly-path.js';

/** A figure as `plotlyTables` reads it: `data` (traces), `layout`, maybe `frames`. */
export type Figure = Record<string, Json>;

/** Most prop removals followed (each leaves one more view drawn before it to read). */
const MAX_VIEWS = 16;

/** A FigureWidget's traces and layout with its edits applied in turn, and the figures to read. */
export class EditedFigure {
  private traces: Json[];
  private layout: Figure;
  /**
   * The traces and layout of views drawn before a prop removal: plotly's widget removes props
   * from its model only (a view drawn later goes without them), while a view already drawn keeps
   * them and draws later edits over them. Both are read (fail closed).
   */
  private readonly views: { traces: Json[]; layout: Figure }[] = [];
  private readonly figures: Figure[] = [];
  /**
   * The table contexts (tableContext: title and axis titles) each trace (object) was read with: a
   * trace is read once per context, since a layout edit that keeps the context (a colour, a
   * progress text in an annotation) gives it the same tables; the new layout is read on its own.
   */
  private readonly readWith = new Map<Figure, Set<string>>();
  /** The caps on what index edits (`'y[1]'`) may allocate, over every edit of this figure. */
  private readonly budget = new IndexBudget();

  /** True when an index edit plotly may draw was refused (caps, typed array): hold, never read less. */
  get indexEditUnfollowed(): boolean {
    return this.budget.exceeded;
  }

  /** The widget as first drawn (always read, as a figure of its own). */
  constructor(base: readonly Json[], layout: Figure) {
    this.traces = [...base];
    this.layout = layout;
    this.figures.push({ data: [...base], layout });
    const context = tableContext(layout);
    for (const t of base) if (isRecord(t)) this.readWith.set(t, new Set([context]));
  }

  /**
   * Reads the traces of `data` not yet read with the current layout's context (values alone
   * included); true when it read any.
   */
  private read(data: readonly Json[]): boolean {
    const context = tableContext(this.layout);
    const fresh = data.filter((t) => !isRecord(t) || !this.readWith.get(t)?.has(context));
    if (fresh.length === 0) return false;
    this.figures.push({ data: fresh, layout: this.layout });
    for (const t of fresh)
      if (isRecord(t)) {
        const contexts = this.readWith.get(t);
        if (contexts) contexts.add(context);
        else this.readWith.set(t, new Set([context]));
      }
    return true;
  }

  /** Reads a changed layout: with the traces its context has not been read with, else alone. */
  private readLayout(): void {
    if (!this.read(this.traces)) this.figures.push({ data: [], layout: this.layout });
  }

  /** Sets the layout a relayout leaves; every trace is then drawn with it. */
  private relaidOut(changes: Json | undefined): void {
    if (!isRecord(changes)) return;
    this.layout = relayout(this.layout, changes, this.budget);
  }

  /**
   * plotly's widget model on `removeTraceProps` (`{remove_trace, remove_props}`): the trace at that
   * index without those props. Returns the trace it leaves, if it changed; a trace index the figure
   * does not have, or a malformed path, changes nothing.
   */
  private removeTraceProps(which: Json | undefined, list: Json | undefined): Json[] {
    const paths = keyPaths(list);
    if (typeof which !== 'number' || !hasTrace(this.traces, which) || paths === undefined)
      return [];
    const old = this.traces[which];
    const next = removeProps(old, paths);
    if (next === old || next === undefined) return [];
    this.traces[which] = next;
    return [next];
  }

  /**
   * plotly's widget model on `removeLayoutProps` (`{remove_props}`): the layout without them.
   * Returns no traces (a changed layout has every trace read with it).
   */
  private removeLayoutProps(list: Json | undefined): Json[] {
    const paths = keyPaths(list);
    if (paths === undefined) return [];
    const next = removeProps(this.layout, paths);
    if (isRecord(next)) this.layout = next;
    return [];
  }

  /**
   * Applies one edit message (`key` the FigureWidget trait it came in, `m` its payload) to the
   * model and to every view drawn before a prop removal, and reads what it draws: the traces it
   * changes, or every trace when it changes the layout.
   */
  apply(key: string, m: Figure): void {
    if (key === '_py2js_removeTraceProps' || key === '_py2js_removeLayoutProps') {
      this.remove(key, m);
      return;
    }
    this.applyHere(key, m);
    for (const view of this.views) this.onView(view, () => this.applyHere(key, m));
  }

  /** Applies one edit (not a removal) over the current traces and layout, and reads what it draws. */
  private applyHere(key: string, m: Figure): void {
    const before = this.layout;
    let drawn: Json[] = [];
    switch (key) {
      case '_py2js_addTraces':
        if (Array.isArray(m.trace_data)) {
          for (const t of m.trace_data) this.traces.push(t);
          drawn = m.trace_data;
        }
        break;
      case '_py2js_deleteTraces':
        deleteTraces(this.traces, m.delete_inds);
        break;
      case '_py2js_moveTraces':
        moveTraces(this.traces, m.current_trace_inds, m.new_trace_inds);
        break;
      case '_py2js_restyle':
        drawn = restyleTraces(this.traces, m.restyle_data, m.restyle_traces, this.budget);
        break;
      case '_py2js_update':
      case '_js2py_update':
      case '_js2py_restyle':
        this.relaidOut(m.layout_data);
        drawn = restyleTraces(this.traces, m.style_data, m.style_traces, this.budget);
        break;
      case '_py2js_animate':
        this.relaidOut(m.layout_data);
        drawn = animateTraces(this.traces, m.style_data, m.style_traces);
        break;
      case '_py2js_relayout':
      case '_js2py_relayout':
        this.relaidOut(m.relayout_data);
        break;
      case '_js2py_layoutDelta':
        this.relaidOut(m.layout_delta);
        break;
      case '_js2py_traceDeltas':
        drawn = mergeTraceDeltas(this.traces, m.trace_deltas);
        break;
      default:
        return;
    }
    this.read(drawn);
    if (this.layout !== before) this.readLayout();
  }

  /** Runs `edit` over a view's traces and layout instead of the model's, keeping what it leaves. */
  private onView(view: { traces: Json[]; layout: Figure }, edit: () => void): void {
    const model = { traces: this.traces, layout: this.layout };
    this.traces = view.traces;
    this.layout = view.layout;
    try {
      edit();
    } finally {
      view.traces = this.traces;
      view.layout = this.layout;
      this.traces = model.traces;
      this.layout = model.layout;
    }
  }

  /**
   * A prop removal, applied to the model and read; the state before it goes on as a view drawn
   * earlier. Past MAX_VIEWS removals change nothing (the model keeps the props, as drawn before).
   */
  private remove(key: string, m: Figure): void {
    if (this.views.length >= MAX_VIEWS) return;
    const drawnBefore = { traces: [...this.traces], layout: this.layout };
    const drawn =
      key === '_py2js_removeTraceProps'
        ? this.removeTraceProps(m.remove_trace, m.remove_props)
        : this.removeLayoutProps(m.remove_props);
    if (drawn.length === 0 && this.layout === drawnBefore.layout) return;
    this.views.push(drawnBefore);
    this.read(drawn);
    if (this.layout !== drawnBefore.layout) this.readLayout();
  }

  /** The figures to read: as first drawn, each edit's traces as left, every trace as drawn last. */
  finish(): Figure[] {
    this.read(this.traces);
    for (const view of this.views) this.onView(view, () => this.read(this.traces));
    return this.figures;
  }
}

/** The FigureWidget traits `EditedFigure.apply` reads, in the order one state's payloads apply. */
export const EDIT_KEYS = [
  '_py2js_deleteTraces',
  '_py2js_moveTraces',
  '_py2js_addTraces',
  '_py2js_restyle',
  '_py2js_update',
  '_js2py_update',
  '_js2py_restyle',
  '_py2js_animate',
  '_py2js_relayout',
  '_js2py_relayout',
  '_js2py_layoutDelta',
  '_js2py_traceDeltas',
  '_py2js_removeTraceProps',
  '_py2js_removeLayoutProps',
] as const;
