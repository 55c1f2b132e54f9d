/**
 * `privet:output-gate` and `privet:console-gate`: the notebook and code console content factories
 * that gate every output (see gate/factory.ts and gate/console-factory.ts) and the kernel text of
 * their kernels' replies (gate/kernel-replies.ts), over one shared gate; `privet:debugger-gate`
 * checks the values the debugger's Variables panel and Debug Console show; `privet:file-gate` the
 * files opened in JupyterLab's viewers and editors.
 */
import type { JupyterFrontEnd, JupyterFrontEndPlugin } from '@jupyterlab/application';
import { IEditorServices } from '@jupyterlab/codeeditor';
import { ConsolePanel } from '@jupyterlab/console';
import { IDebugger } from '@jupyterlab/debugger';
import { IDocumentManager } from '@jupyterlab/docmanager';
import { NotebookPanel } from '@jupyterlab/notebook';
import { ITableOfContentsTracker, TableOfContentsModel } from '@jupyterlab/toc';
import { GatedConsoleContentFactory } from '../gate/console-factory.js';
import { gateDebuggerVariables } from '../gate/debugger-variables.js';
import { gateDocuments } from '../gate/document-gate.js';
import { GatedContentFactory } from '../gate/factory.js';
import { OutputGate } from '../gate/gate.js';
import { IPrivetServices } from '../services.js';

/** Replaces `@jupyterlab/notebook-extension:factory` (disabled in package.json). */
export const gatePlugin: JupyterFrontEndPlugin<NotebookPanel.IContentFactory> = {
  id: 'privet:output-gate',
  description: 'Notebook content factory whose outputs are shown only after Privet reviewed them.',
  autoStart: true,
  provides: NotebookPanel.IContentFactory,
  requires: [IEditorServices, IPrivetServices],
  optional: [ITableOfContentsTracker],
  activate: (
    _app: JupyterFrontEnd,
    editorServices: IEditorServices,
    services: IPrivetServices,
    toc: ITableOfContentsTracker | null,
  ): NotebookPanel.IContentFactory =>
    new GatedContentFactory(
      { editorFactory: editorServices.factoryService.newInlineEditor },
      gateFor(services),
      (panel) => refreshTableOfContents(toc, panel),
    ),
};

/** Refreshes the panel's table of contents: an output shown or held changes its headings. */
function refreshTableOfContents(toc: ITableOfContentsTracker | null, panel: NotebookPanel): void {
  const model = toc?.get(panel);
  if (model instanceof TableOfContentsModel) {
    model.refresh().catch((error: unknown) => {
      console.warn('Privet: could not refresh the table of contents.', error);
    });
  }
}

/** Replaces `@jupyterlab/console-extension:factory` (disabled in package.json). */
export const consoleGatePlugin: JupyterFrontEndPlugin<ConsolePanel.IContentFactory> = {
  id: 'privet:console-gate',
  description:
    'Code console content factory whose outputs are shown only after Privet reviewed them.',
  autoStart: true,
  provides: ConsolePanel.IContentFactory,
  requires: [IEditorServices, IPrivetServices],
  activate: (
    _app: JupyterFrontEnd,
    editorServices: IEditorServices,
    services: IPrivetServices,
  ): ConsolePanel.IContentFactory =>
    new GatedConsoleContentFactory(
      { editorFactory: editorServices.factoryService.newInlineEditor },
      gateFor(services),
    ),
};

/**
 * Checks every value the debugger's Variables panel and Debug Console ("Evaluate Code") receive
 * (gate/debugger-variables.ts).
 */
export const debuggerGatePlugin: JupyterFrontEndPlugin<void> = {
  id: 'privet:debugger-gate',
  description:
    "Shows the debugger's variable values and evaluate results only after Privet's review check passed.",
  autoStart: true,
  requires: [IDebugger, IPrivetServices],
  activate: (_app: JupyterFrontEnd, service: IDebugger, services: IPrivetServices): void =>
    gateDebuggerVariables(service, gateFor(services)),
};

/**
 * Shows a document opened from a file (the CSV, JSON, HTML, Markdown and image viewers, the text
 * editor; not notebooks, which the output gate covers) only after Privet's checks passed on the
 * file (gate/file-gate.ts): a file the kernel wrote is checked as the output that shows it.
 */
export const fileGatePlugin: JupyterFrontEndPlugin<void> = {
  id: 'privet:file-gate',
  description:
    "Shows files opened in JupyterLab's viewers and editors only after Privet's review check passed.",
  autoStart: true,
  requires: [IDocumentManager, IPrivetServices],
  activate: (_app: JupyterFrontEnd, documents: IDocumentManager, services: IPrivetServices): void =>
    gateDocuments(documents.registry, gateFor(services)),
};

const gates = new WeakMap<IPrivetServices, OutputGate>();

/** The one output gate of these services (notebooks and consoles share approvals and views). */
function gateFor(services: IPrivetServices): OutputGate {
  let gate = gates.get(services);
  if (!gate) gates.set(services, (gate = new OutputGate(services)));
  return gate;
}
