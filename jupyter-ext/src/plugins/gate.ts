/** `privet:output-gate`: the notebook content factory that gates every output (see gate/factory.ts). */
import type { JupyterFrontEnd, JupyterFrontEndPlugin } from '@jupyterlab/application';
import { IEditorServices } from '@jupyterlab/codeeditor';
import { NotebookPanel } from '@jupyterlab/notebook';
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
  activate: (
    _app: JupyterFrontEnd,
    editorServices: IEditorServices,
    services: IPrivetServices,
  ): NotebookPanel.IContentFactory =>
    new GatedContentFactory(
      { editorFactory: editorServices.factoryService.newInlineEditor },
      new OutputGate(services),
    ),
};
