/**
 * Puts every document JupyterLab opens, other than a notebook, behind the file gate
 * (file-gate.ts): each widget factory's new widget gets its content hidden and a notice in its
 * content header until the file is shown. Factories registered later are followed too.
 */
import type { DocumentRegistry, IDocumentWidget } from '@jupyterlab/docregistry';
import { BoxLayout, type BoxPanel } from '@lumino/widgets';
import { HeldFileWidget } from './HeldFile.js';
import { FileGateWatcher, type FileGateView, type GatedDocument } from './file-gate.js';
import type { OutputGate } from './gate.js';

/** How long after a content change the gate looks whether it came from disk (no typing). */
const SETTLE_MS = 300;

/** The class a document widget has while its content is not shown. */
export const FILE_HELD_CLASS = 'jp-Privet-fileHeld';

/** The document's file as the gate reads it, from its context (null until loaded). */
function gatedDocument(context: DocumentRegistry.Context): GatedDocument {
  return {
    read() {
      const model = context.contentsModel;
      if (!context.isReady || !model) return null;
      return {
        path: context.path,
        format: model.format === 'base64' ? 'base64' : 'text',
        ...(model.mimetype ? { mimetype: model.mimetype } : {}),
        content: context.model.toString(),
      };
    },
    get dirty() {
      return context.model.dirty;
    },
  };
}

/** Gates one document widget until its file is decided, and again whenever it is loaded. */
export function gateDocumentWidget(widget: IDocumentWidget, gate: OutputGate): void {
  const { context } = widget;
  // A DocumentWidget (every factory's in JupyterLab) has a header above its content for notices.
  const header = (widget as IDocumentWidget & { contentHeader?: BoxPanel }).contentHeader;
  if (!header) {
    console.warn(`Privet: ${context.path} opened in a viewer without a header; it is not shown.`);
    widget.content.hide();
    return;
  }
  const notice = new HeldFileWidget(() => watcher.recheck());
  notice.hide();
  header.addWidget(notice);
  const view: FileGateView = {
    render(verdict) {
      if (widget.isDisposed) return;
      if (verdict.state === 'shown') {
        notice.hide();
        widget.removeClass(FILE_HELD_CLASS);
        BoxLayout.setStretch(header, 0);
        widget.content.show();
        return;
      }
      widget.content.hide();
      // The notice takes the content's room (the toolbar keeps its height).
      BoxLayout.setStretch(header, 1);
      widget.addClass(FILE_HELD_CLASS);
      notice.setVerdict(verdict);
      notice.show();
    },
  };
  const watcher = new FileGateWatcher(
    gate,
    gatedDocument(context),
    view,
    () => gate.selectedExperiment,
  );
  let settle: ReturnType<typeof setTimeout> | undefined;
  const onContent = (): void => {
    clearTimeout(settle);
    settle = setTimeout(() => {
      if (context.isReady) watcher.loaded();
    }, SETTLE_MS);
  };
  context.model.contentChanged.connect(onContent);
  context.ready.then(() => watcher.loaded()).catch(() => undefined); // a file that fails to load shows JupyterLab's own error
  widget.disposed.connect(() => {
    clearTimeout(settle);
    context.model.contentChanged.disconnect(onContent);
    watcher.dispose();
  });
}

/** Gates every document widget the registry's factories create, except notebooks. */
export function gateDocuments(registry: DocumentRegistry, gate: OutputGate): void {
  const followed = new WeakSet<DocumentRegistry.WidgetFactory>();
  const follow = (factory: DocumentRegistry.WidgetFactory | undefined): void => {
    if (!factory || followed.has(factory) || factory.modelName === 'notebook') return;
    followed.add(factory);
    factory.widgetCreated.connect((_, widget) => gateDocumentWidget(widget, gate));
  };
  for (const factory of registry.widgetFactories()) follow(factory);
  registry.changed.connect((_, change) => {
    if (change.type === 'widgetFactory' && change.change === 'added' && change.name)
      follow(registry.getWidgetFactory(change.name));
  });
}
