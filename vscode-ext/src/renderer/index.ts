/**
 * Notebook renderer for Privet's own MIME types: DP releases (table of groups with each
 * statistic's value and interval, release id and cost — the same view as JupyterLab's renderer)
 * and the placeholder of a withheld output. DOM built with textContent only, so nothing in an
 * output can inject markup. Colours come from VS Code theme variables.
 *
 * Any kernel can display a bundle with these MIME types, so neither is taken on trust. A release
 * is drawn only when the gate renderer's decision lets it (core's check, which flags a release the
 * ledger does not vouch for as `dp-provenance`, then the extension host's answer: yes for the
 * releases Privet's controller received or the gateway verified, or an approved output); without
 * the gate renderer or its answer it is held (fail closed), and checked again when the host says
 * what it checks with changed. A placeholder shows only its verdict, known rule names and known
 * review state (dom.ts), never other text it carries.
 */
import type { ActivationFunction, OutputItem, RendererContext } from 'vscode-notebook-renderer';
import type { DpRelease } from '@privet/core/protocol';
import { formatNumber, releaseCaption, releaseTable } from '@privet/core/client/release-format';
import { holdingRules } from '@privet/core/review/index';
import { GATE_RENDERER_ID } from '../shared/gate-messages.js';
import { el, MUTED, renderWithheld } from './dom.js';
import { decideItem, type ItemDecision } from './gate-decision.js';
import type { GateRendererApi } from './gate.js';
import { HeldRedraws } from './held-redraws.js';

export { formatNumber, renderWithheld };

const CELL =
  'padding:2px 8px;border-bottom:1px solid var(--vscode-editorWidget-border,#8884);text-align:left';

/** Builds the DOM of a release: caption, table with intervals, footer with id. */
export function renderRelease(release: DpRelease, host: HTMLElement): void {
  host.replaceChildren();
  // The host is VS Code's output node. With its own "output" class kept, VS Code no longer drew an
  // output restored below it (a held table put back after approval), so the class is replaced as
  // before and the release indents itself like VS Code's outputs (its .output margin and padding).
  host.className = 'privet-release';
  const box = host.appendChild(
    el(
      'div',
      undefined,
      'margin-left:var(--notebook-output-left-margin, 44px);' +
        'padding-left:var(--notebook-output-node-left-padding, 8px)',
    ),
  );
  box.appendChild(el('div', releaseCaption(release), 'font-weight:600;margin-bottom:4px'));
  const { header, rows } = releaseTable(release);
  const table = el('table', undefined, 'border-collapse:collapse');
  const head = el('tr');
  for (const name of header) head.appendChild(el('th', name, CELL));
  table.appendChild(el('thead')).appendChild(head);
  const body = table.appendChild(el('tbody'));
  for (const row of rows) {
    const tr = body.appendChild(el('tr'));
    for (const cell of row) {
      const td = tr.appendChild(el('td', cell.kind === 'key' ? cell.text : undefined, CELL));
      if (cell.kind !== 'value') continue;
      td.appendChild(el('span', cell.value));
      td.appendChild(el('span', ` ${cell.interval}`, MUTED));
    }
  }
  box.appendChild(table);
  for (const w of release.warnings)
    box.appendChild(el('div', w, 'color:var(--vscode-editorWarning-foreground)'));
  const footer = box.appendChild(el('div', 'release id ', MUTED));
  footer.appendChild(el('code', release.releaseId));
}

/** What a release held here says (it may be an imitation a kernel displayed). */
const RELEASE_HINT =
  'A DP release is drawn only when the Privet gateway vouches for its release id and content. In a Jupyter notebook or the Interactive Window the cell offers "Request Review".';

/** The gate renderer, if this webview has it (it has the messaging that asks the host). */
async function gateRenderer(
  context: Pick<RendererContext<unknown>, 'getRenderer'>,
): Promise<Partial<GateRendererApi> | undefined> {
  try {
    return (await context.getRenderer(GATE_RENDERER_ID)) as Partial<GateRendererApi> | undefined;
  } catch {
    return undefined;
  }
}

/**
 * The gate renderer's decision for a release item; without the gate renderer (or its `decide`),
 * core's check alone, with no host to confirm: a release is then held.
 */
function decideRelease(
  item: OutputItem,
  gate: Partial<GateRendererApi> | undefined,
): Promise<ItemDecision> {
  if (typeof gate?.decide === 'function') return gate.decide(item);
  return decideItem(item, () => Promise.resolve(false));
}

/**
 * Renderer entry point (VS Code's notebook renderer API). A held release is checked and drawn
 * again when the gate renderer passes on the host's notice that what it checks with changed.
 */
export const activate: ActivationFunction = (context) => {
  const held = new HeldRedraws();
  let listening = false;
  const render = async (
    item: OutputItem,
    element: HTMLElement,
    outer?: AbortSignal,
    redraw = false,
  ) => {
    if (item.mime === 'application/vnd.privet.withheld+json') {
      held.forget(item.id);
      renderWithheld(
        item.json() as { verdict?: unknown; rules?: unknown; rawValue?: unknown; review?: unknown },
        element,
      );
      return;
    }
    if (!redraw) held.asked(item.id, () => render(item, element, undefined, true));
    const signal = held.begin(item.id, outer);
    // Nothing of an earlier rendering stays while this one is checked (a redraw keeps its notice).
    if (!redraw) element.replaceChildren();
    const gate = await gateRenderer(context);
    if (!listening && typeof gate?.onRecheck === 'function') {
      listening = true;
      gate.onRecheck(() => void held.redrawAll());
    }
    const decision = await decideRelease(item, gate);
    if (signal.aborted) return;
    if (!decision.show) {
      held.hold(item.id);
      const { verdict, findings } = decision.review;
      renderWithheld(
        { verdict, rules: holdingRules(findings), review: decision.reviewState },
        element,
        RELEASE_HINT,
      );
      return;
    }
    held.shown(item.id);
    renderRelease(item.json() as DpRelease, element);
  };
  return {
    renderOutputItem: render,
    disposeOutputItem: (id?: string) => held.forget(id),
  };
};
