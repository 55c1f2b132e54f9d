/**
 * Why a gate renderer: the extension host can replace a flagged output only after VS Code has put
 * it in the document, and by then VS Code may already have drawn it (on opening a saved notebook,
 * or while another kernel streams). This renderer claims the text-based MIME types of the built-in
 * renderer and of the Markdown renderer (Markdown, LaTeX) — VS Code prefers an extension's
 * renderer to a built-in one unless the user picked another with "Change Presentation" — checks
 * each item with core's review engine in the output webview before anything is drawn, and hands
 * items the extension host confirms (it adds the gateway's raw-value check; gate-decision.ts) to the
 * renderer that would have drawn them (delegates.ts).
 * A held item shows the withheld notice (rules only) until the host swaps in the placeholder with
 * "Request Review" (in Jupyter notebooks and the Interactive Window); one a reviewer approved is
 * drawn once the host confirms it; one whose content was sent for review says its review state
 * (pending, rejected, changes requested) as the host's answer gives it, instead of how to ask for
 * one (held-review.ts). A held item is checked and drawn again when the host says what
 * it checks with changed (e.g. at start-up, once the stored token is restored and the views are
 * loaded). Renderers apply to every notebook type, so this also holds outputs in notebook types
 * the host does not edit.
 */
import type { OutputItem, RendererApi, RendererContext } from 'vscode-notebook-renderer';
import { holdingRules } from '@privet/core/review/index';
import { Delegates, delegateIdFor, missingDelegateMessage } from './delegates.js';
import { renderWithheld } from './dom.js';
import { ApprovalChannel, decideItem, type ItemDecision, type ItemLike } from './gate-decision.js';
import { HeldRedraws } from './held-redraws.js';
import { clearElement, drawingTarget } from './surface.js';

/** What a held item says until the host replaces it, or for good in notebook types it does not edit. */
const HELD_HINT =
  'Checked before display. In a Jupyter notebook or the Interactive Window the cell offers "Request Review"; in other notebook types, print the value in a Jupyter notebook cell to have it reviewed.';

/** What an item held only because the host did not confirm a possible table of rows says. */
const TABLE_HINT =
  'This output may be a table of rows, which only the extension host can check against your Privet views, and it has not confirmed it. It is drawn once it does; if you are signed out, sign in ("Privet: Sign In").';

/** What a stream part held only because the host did not confirm it after the earlier parts says. */
const STREAM_HINT =
  "This part of the cell's output stream is checked together with the parts printed before it, which only the extension host sees, and it has not confirmed it. It is drawn once it does.";

/** What an item that passes here says while the host has not confirmed it. */
const HOST_HINT =
  "Checked before display: when you are signed in with an experiment, Privet asks the gateway whether this output shows a value from the raw data's identifier columns, and it has not confirmed it does not. If the cell's output is not replaced with Privet's placeholder saying why, run the cell again.";

/**
 * The gate renderer's API: VS Code's renderer API, and, for Privet's release renderer (only this
 * renderer has the messaging that asks the extension host), the decision for an item and the
 * host's notices to ask again about held items; other renderers of the output webview reach it
 * with `getRenderer(GATE_RENDERER_ID)`.
 */
export interface GateRendererApi extends RendererApi {
  decide(item: ItemLike): Promise<ItemDecision>;
  onRecheck(listener: () => void): { dispose(): void };
}

/** When an item held only for want of the host's confirmation is asked about again. */
const UNCONFIRMED_RETRY_MS = [2000, 5000, 10_000, 20_000] as const;

/** Renderer entry point (VS Code's notebook renderer API). */
export const activate = (context: RendererContext<unknown>): GateRendererApi => {
  const channel = new ApprovalChannel(context);
  const delegates = new Delegates((id) => context.getRenderer(id));
  const decide = (item: ItemLike): Promise<ItemDecision> =>
    decideItem(item, (mime, text) => channel.answer(mime, text), channel.canAsk);
  const held = new HeldRedraws();
  channel.onRecheck(() => void held.redrawAll());
  /** Draws `item`, as VS Code asked or as a redraw of its latest request (HeldRedraws). */
  const draw = async (item: OutputItem, element: HTMLElement, outer?: AbortSignal) => {
    const signal = held.begin(item.id, outer);
    const decision = await decide(item);
    if (signal.aborted) return;
    if (!decision.show) {
      held.hold(item.id);
      // Held only for want of the host's confirmation: asked again a few times, in case the
      // host's notice to ask again is lost.
      if (decision.tableUnconfirmed || decision.streamUnconfirmed || decision.hostUnconfirmed)
        held.retryLater(item.id, UNCONFIRMED_RETRY_MS);
      delegates.dispose(item.id);
      clearElement(element);
      const { verdict, findings } = decision.review;
      const hint = decision.tableUnconfirmed
        ? TABLE_HINT
        : decision.streamUnconfirmed
          ? STREAM_HINT
          : decision.hostUnconfirmed
            ? HOST_HINT
            : HELD_HINT;
      // A review state the host gave (content sent for review) says more than any hint here.
      const sent = decision.reviewState;
      renderWithheld({ verdict, rules: holdingRules(findings), review: sent }, element, hint);
      return;
    }
    held.shown(item.id);
    const rendererId = delegateIdFor(item.mime);
    const api = await delegates.get(rendererId);
    if (signal.aborted) return;
    if (!api) {
      delegates.dispose(item.id);
      clearElement(element);
      element.textContent = missingDelegateMessage(rendererId);
      return;
    }
    delegates.drawing(item.id, api);
    await api.renderOutputItem(item, drawingTarget(element, rendererId), signal);
  };
  const render = (item: OutputItem, element: HTMLElement, outer?: AbortSignal) => {
    held.asked(item.id, () => draw(item, element));
    return draw(item, element, outer);
  };
  return {
    decide,
    onRecheck: (listener) => channel.onRecheck(listener),
    renderOutputItem: render,
    disposeOutputItem(id?: string) {
      held.forget(id);
      delegates.dispose(id);
    },
  };
};
