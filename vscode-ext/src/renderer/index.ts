/**
 * Notebook renderer for Privet's own MIME types: DP releases (table of groups with each
 * statistic's value and interval, release id and cost — the same view as JupyterLab's renderer)
 * and the placeholder of a withheld output. DOM built with textContent only, so nothing in an
 * output can inject markup. Colours come from VS Code theme variables.
 */
import type { ActivationFunction, OutputItem } from 'vscode-notebook-renderer';
import type { DpRelease } from '@privet/core/protocol';
import { formatNumber, releaseCaption, releaseTable } from '@privet/core/client/release-format';
import { el, MUTED, renderWithheld } from './dom.js';

export { formatNumber, renderWithheld };

const CELL =
  'padding:2px 8px;border-bottom:1px solid var(--vscode-editorWidget-border,#8884);text-align:left';

/** Builds the DOM of a release: caption, table with intervals, footer with id. */
export function renderRelease(release: DpRelease, host: HTMLElement): void {
  host.replaceChildren();
  host.className = 'privet-release';
  host.appendChild(el('div', releaseCaption(release), 'font-weight:600;margin-bottom:4px'));
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
  host.appendChild(table);
  for (const w of release.warnings)
    host.appendChild(el('div', w, 'color:var(--vscode-editorWarning-foreground)'));
  const footer = host.appendChild(el('div', 'release id ', MUTED));
  footer.appendChild(el('code', release.releaseId));
}

/** Renderer entry point (VS Code's notebook renderer API). */
export const activate: ActivationFunction = () => ({
  renderOutputItem(item: OutputItem, element: HTMLElement) {
    if (item.mime === 'application/vnd.privet.withheld+json') {
      renderWithheld(item.json() as { verdict?: unknown; rules?: unknown }, element);
    } else {
      renderRelease(item.json() as DpRelease, element);
    }
  },
});
