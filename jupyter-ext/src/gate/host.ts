/** What a gated output needs to know about the notebook or code console it is rendered in. */
import type { CodeConsole } from '@jupyterlab/console';
import type { Notebook } from '@jupyterlab/notebook';
import type { IRenderMime } from '@jupyterlab/rendermime-interfaces';
import type { OutputGate } from './gate.js';
import { KernelReplyGate } from './kernel-replies.js';
import {
  locateConsoleOutput,
  locateOutput,
  notebookExperiment,
  type OutputPlace,
} from './locate.js';
import { StreamParts } from './stream-parts.js';
import { WidgetStates } from './widget-states.js';

/** How long after an output is shown or held the "headings may have changed" hook runs (coalesced). */
const HEADINGS_SETTLE_MS = 100;
/** Stream outputs outside any cell kept in order (JupyterLab's Log Console keeps 1,000 entries). */
const UNPLACED_STREAMS = 1000;

/** The gate plus the notebook (or code console) one gated registry serves. */
export class GateHost {
  private widget: Notebook | null = null;
  private codeConsole: CodeConsole | null = null;
  private pathOf: () => string = () => '';
  /** Output models whose real content is on screen (passed, or approved by a reviewer). */
  private readonly shown = new WeakSet<IRenderMime.IMimeModel>();
  private headingsTimer: ReturnType<typeof setTimeout> | null = null;
  /** Called (coalesced) when an output was shown or held: derived views such as the ToC refresh. */
  private onShownChanged: (() => void) | null = null;
  /** Widget model states of the kernel, for checking widget outputs with what they draw. */
  readonly widgets = new WidgetStates();
  /** Stream outputs held on their own findings: they hold the other parts of their stream. */
  readonly streams = new StreamParts();
  /** Checks the kernel text of the replies its kernel sends (set_next_input, completions, help). */
  readonly replies: KernelReplyGate;
  /** Stream outputs drawn outside any cell (the Log Console), in the order first drawn. */
  private unplaced: IRenderMime.IMimeModel[] = [];

  /** Creates a host for one notebook (attached once it exists) or one code console. */
  constructor(
    readonly gate: OutputGate,
    readonly kind: 'notebook' | 'console' = 'notebook',
  ) {
    this.replies = new KernelReplyGate(gate);
  }

  /**
   * Attaches the notebook widget and a getter of its path; `onShownChanged` runs (coalesced) after
   * outputs were shown or held, for views derived from what is on screen (the table of contents).
   */
  attach(notebook: Notebook, path: () => string, onShownChanged?: () => void): void {
    this.widget = notebook;
    this.pathOf = path;
    this.onShownChanged = onShownChanged ?? null;
  }

  /** Attaches the code console and a getter of its path. */
  attachConsole(codeConsole: CodeConsole, path: () => string): void {
    this.codeConsole = codeConsole;
    this.pathOf = path;
  }

  /** Where an output model is in the attached notebook or console, or null. */
  locate(model: IRenderMime.IMimeModel): OutputPlace | null {
    if (this.widget) return locateOutput(this.widget, model);
    if (this.codeConsole) return locateConsoleOutput(this.codeConsole, model);
    return null;
  }

  /**
   * The stream outputs drawn outside any cell, as if they were one cell's outputs, and `model`'s
   * place among them (added on first sight). JupyterLab's Log Console shows kernel output as
   * entries of their own: a value split across entries is then checked as one, and an entry held
   * holds the other parts of its stream, as in a cell.
   */
  unplacedStreams(model: IRenderMime.IMimeModel): {
    models: IRenderMime.IMimeModel[];
    index: number;
  } {
    let index = this.unplaced.indexOf(model);
    if (index < 0) {
      if (this.unplaced.length >= UNPLACED_STREAMS) this.unplaced = this.unplaced.slice(1);
      index = this.unplaced.push(model) - 1;
    }
    return { models: this.unplaced, index };
  }

  /** Records whether the real content of `model` is on screen (the gate passed or approved it). */
  setShown(model: IRenderMime.IMimeModel, shown: boolean): void {
    if (this.shown.has(model) === shown) return;
    if (shown) this.shown.add(model);
    else this.shown.delete(model);
    if (!this.onShownChanged || this.headingsTimer !== null) return;
    this.headingsTimer = setTimeout(() => {
      this.headingsTimer = null;
      this.onShownChanged?.();
    }, HEADINGS_SETTLE_MS);
  }

  /** True once the gate shows `model`'s real content; false while it is held or undecided. */
  isShown(model: IRenderMime.IMimeModel): boolean {
    return this.shown.has(model);
  }

  /** The notebook, once attached (null for a console). */
  notebook(): Notebook | null {
    return this.widget;
  }

  /** The notebook's or console's path (for the reviewer's context). */
  path(): string {
    return this.pathOf();
  }

  /** The notebook's experiment (its metadata binding), else the selected experiment. */
  experiment(): string | null {
    return notebookExperiment(this.widget) ?? this.gate.selectedExperiment;
  }
}
