/**
 * Why a gate renderer: the extension host can replace a flagged output only after VS Code has put
 * it in the document, and by then the built-in renderer may already have drawn it (on opening a
 * saved notebook, or while another kernel streams). This renderer claims the built-in renderer's
 * text-based MIME types — VS Code prefers an extension's renderer to the built-in one unless the
 * user picked another with "Change Presentation" — checks each item with core's review engine in
 * the output webview before anything is drawn, and hands passing items to the built-in renderer.
 * A held item shows the withheld notice (rules only) until the host swaps in the placeholder with
 * "Request review"; one a reviewer approved is drawn once the host confirms it. Renderers apply
 * to every notebook type, so this also holds outputs in notebooks the host does not edit (the
 * Interactive Window; untested here, as that needs the Jupyter extension).
 */
import type { ActivationFunction, OutputItem, RendererApi } from 'vscode-notebook-renderer';
import { holdingRules } from '@privet/core/review/index';
import { renderWithheld } from './dom.js';
import { ApprovalChannel, decideItem } from './gate-decision.js';

/** The renderer that draws passing items (VS Code's own). */
const BUILTIN_RENDERER_ID = 'vscode.builtin-renderer';

/** What a held item says where the host does not replace it (e.g. the Interactive Window). */
const HELD_HINT =
  'Checked before display. In a notebook the cell offers "Request review"; elsewhere (e.g. the Interactive Window) print the value in a notebook cell to have it reviewed.';

/** Renderer entry point (VS Code's notebook renderer API). */
export const activate: ActivationFunction = (context) => {
  const channel = new ApprovalChannel(context);
  let builtin: Promise<RendererApi | undefined> | undefined;
  return {
    async renderOutputItem(item: OutputItem, element: HTMLElement, signal: AbortSignal) {
      const decision = await decideItem(item, (mime, text) => channel.ask(mime, text));
      if (signal.aborted) return;
      if (!decision.show) {
        const { verdict, findings } = decision.review;
        renderWithheld({ verdict, rules: holdingRules(findings) }, element, HELD_HINT);
        return;
      }
      const api = await (builtin ??= context.getRenderer(BUILTIN_RENDERER_ID));
      if (signal.aborted) return;
      if (!api) {
        element.textContent =
          'Privet: VS Code’s built-in output renderer is not available, so this output cannot be drawn. Fix: reload the window.';
        return;
      }
      element.replaceChildren();
      element.classList.remove('privet-withheld');
      await api.renderOutputItem(item, element, signal);
    },
    disposeOutputItem(id?: string) {
      void builtin?.then((api) => api?.disposeOutputItem?.(id));
    },
  };
};
