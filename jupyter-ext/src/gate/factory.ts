/**
 * Why a content factory: NotebookPanel.IContentFactory is JupyterLab's supported hook for owning
 * how a notebook is built. Ours gives each new notebook a GatedRenderMimeRegistry; the notebook
 * hands that registry to every code cell's OutputArea (and to "Create New View for Output"), so
 * every output of any kernel — executed, streamed, updated, or loaded from a saved notebook — is
 * rendered through the gate. Wrapping the global rendermime instead would also gate markdown
 * cells, the console and other documents and would not know which notebook an output is in; an
 * OutputAreaModel that withholds outputs would also change what the live notebook holds. The core factory plugin is
 * disabled in package.json (`disabledExtensions`), so no notebook can open ungated: without this
 * plugin, notebooks do not open at all (fail closed). The notebook's model is given a saving
 * filter (save-filter.ts), so held outputs are written to disk only as placeholders. Markdown
 * cells (authored text) render ungated; any other content rendered with the notebook's registry
 * is kernel content (the tooltip, the help panel) and is checked too, as is an `input()` prompt
 * (stdin.ts) and the kernel text of the replies the notebook's kernel sends (set_next_input,
 * completions, help: kernel-replies.ts). Code cells list output
 * headings in the table of contents only for outputs the gate shows (code-cell.ts).
 */
import type { CodeCell, MarkdownCell } from '@jupyterlab/cells';
import { Notebook, NotebookPanel } from '@jupyterlab/notebook';
import { GatedCodeCell } from './code-cell.js';
import type { OutputGate } from './gate.js';
import { GateHost } from './host.js';
import { GatedRenderMimeRegistry } from './registry.js';
import { filterSavedOutputs } from './save-filter.js';
import { gatedStdin, type StdinOptions, type StdinWidget } from './stdin.js';

/** The notebook content factory that gates every output. */
export class GatedContentFactory extends NotebookPanel.ContentFactory {
  /** Creates the factory over the shared gate. */
  constructor(
    options: Notebook.ContentFactory.IOptions,
    private readonly gate: OutputGate,
    /** Called when a notebook's shown outputs changed (e.g. to refresh its table of contents). */
    private readonly onShownOutputsChanged?: (panel: NotebookPanel) => void,
  ) {
    super(options);
  }

  /** A notebook whose rendermime registry gates every renderer. */
  override createNotebook(options: Notebook.IOptions): Notebook {
    const host = new GateHost(this.gate);
    const rendermime = new GatedRenderMimeRegistry(options.rendermime, host);
    const notebook = super.createNotebook({ ...options, rendermime });
    host.attach(
      notebook,
      () => {
        const parent = notebook.parent;
        return parent instanceof NotebookPanel ? parent.context.path : '';
      },
      () => {
        const parent = notebook.parent;
        if (parent instanceof NotebookPanel) this.onShownOutputsChanged?.(parent);
      },
    );
    // What is saved is filtered too: held outputs reach the file only as placeholders. The panel
    // sets the model once the notebook is its content: then its kernel's widget states are
    // followed, before the kernel can open any widget.
    notebook.modelChanged.connect(() => {
      if (notebook.model) filterSavedOutputs(notebook.model, host);
      const parent = notebook.parent;
      if (parent instanceof NotebookPanel) {
        host.widgets.watch(parent.sessionContext);
        host.replies.watch(parent.sessionContext);
      }
    });
    notebook.disposed.connect(() => {
      host.widgets.dispose();
      host.replies.dispose();
    });
    return notebook;
  }

  /** A stdin widget (`input()`) whose prompt, kernel text, is checked before it is drawn. */
  override createStdin(options: StdinOptions): StdinWidget {
    return gatedStdin(this.gate, options, (o) => super.createStdin(o));
  }

  /** A code cell whose output headings (table of contents) come only from outputs the gate shows. */
  override createCodeCell(options: CodeCell.IOptions): CodeCell {
    const { rendermime } = options;
    const host = rendermime instanceof GatedRenderMimeRegistry ? rendermime.host : null;
    return new GatedCodeCell(options, host).initializeState();
  }

  /**
   * Markdown cells render authored text, not kernel output: they get the ungated registry, so
   * everything else that renders with the notebook's registry (tooltips, the help panel, the
   * debugger's "Render Variable") is checked as kernel content.
   */
  override createMarkdownCell(options: MarkdownCell.IOptions): MarkdownCell {
    const { rendermime } = options;
    return super.createMarkdownCell(
      rendermime instanceof GatedRenderMimeRegistry
        ? { ...options, rendermime: rendermime.ungated }
        : options,
    );
  }
}
