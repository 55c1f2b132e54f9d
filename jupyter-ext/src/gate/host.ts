/** What a gated output needs to know about the notebook it is rendered in. */
import type { Notebook } from '@jupyterlab/notebook';
import type { OutputGate } from './gate.js';
import { notebookExperiment } from './locate.js';

/** The gate plus the notebook (or code console) one gated registry serves. */
export class GateHost {
  private widget: Notebook | null = null;
  private pathOf: () => string = () => '';

  /** Creates a host for one notebook (attached once it exists) or one code console. */
  constructor(
    readonly gate: OutputGate,
    readonly kind: 'notebook' | 'console' = 'notebook',
  ) {}

  /** Attaches the notebook widget and a getter of its path. */
  attach(notebook: Notebook, path: () => string): void {
    this.widget = notebook;
    this.pathOf = path;
  }

  /** The notebook, once attached. */
  notebook(): Notebook | null {
    return this.widget;
  }

  /** The notebook's path (for the reviewer's context). */
  path(): string {
    return this.pathOf();
  }

  /** The notebook's experiment: its metadata binding, else the selected experiment. */
  experiment(): string | null {
    return notebookExperiment(this.widget) ?? this.gate.selectedExperiment;
  }
}
