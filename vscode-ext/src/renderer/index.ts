/**
 * Notebook renderer for Privet's own MIME types: DP releases (table of groups with each
 * statistic's value and interval, release id and cost — the same view as JupyterLab's renderer)
 * and the placeholder of a withheld output. DOM built with textContent only, so nothing in an
 * output can inject markup. Colours come from VS Code theme variables.
 */
import type { ActivationFunction, OutputItem } from 'vscode-notebook-renderer';
import type { DpRelease } from '@privet/core/protocol';

/** Formats a released number for display (integers grouped, others with 2 decimals). */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  return Number.isInteger(value) ? value.toLocaleString('en-US') : value.toFixed(2);
}

function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  text?: string,
  style?: string,
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  if (style) node.setAttribute('style', style);
  return node;
}

const CELL =
  'padding:2px 8px;border-bottom:1px solid var(--vscode-editorWidget-border,#8884);text-align:left';
const MUTED = 'color:var(--vscode-descriptionForeground)';

/** Builds the DOM of a release: caption, table with intervals, footer with id. */
export function renderRelease(release: DpRelease, host: HTMLElement): void {
  host.replaceChildren();
  host.className = 'privet-release';
  const level = Math.round((1 - release.alpha) * 100);
  const eps = release.cost.epsilon ?? release.cost.rho ?? '-';
  host.appendChild(
    el(
      'div',
      `DP release · ${release.mechanism.replace('_', ' ')} · cost ε=${eps}${release.cost.delta ? `, δ=${release.cost.delta}` : ''} · ${level}% intervals`,
      'font-weight:600;margin-bottom:4px',
    ),
  );
  const table = el('table', undefined, 'border-collapse:collapse');
  const head = el('tr');
  for (const c of release.columns) head.appendChild(el('th', c.name, CELL));
  table.appendChild(el('thead')).appendChild(head);
  const body = table.appendChild(el('tbody'));
  for (const row of release.rows) {
    const tr = body.appendChild(el('tr'));
    for (const c of release.columns) {
      if (c.role === 'key') {
        tr.appendChild(el('td', String(row.keys[c.name] ?? ''), CELL));
        continue;
      }
      const cell = row.values[c.name];
      const td = tr.appendChild(el('td', undefined, CELL));
      if (!cell) continue;
      td.appendChild(el('span', formatNumber(cell.value)));
      td.appendChild(
        el(
          'span',
          ` [${formatNumber(cell.interval[0])}, ${formatNumber(cell.interval[1])}]`,
          MUTED,
        ),
      );
    }
  }
  host.appendChild(table);
  for (const w of release.warnings)
    host.appendChild(el('div', w, 'color:var(--vscode-editorWarning-foreground)'));
  const footer = host.appendChild(el('div', 'release id ', MUTED));
  footer.appendChild(el('code', release.releaseId));
}

/** Builds the DOM of a withheld output's placeholder (rules only, never content). */
export function renderWithheld(
  info: { verdict?: unknown; rules?: unknown },
  host: HTMLElement,
): void {
  host.replaceChildren();
  host.className = 'privet-withheld';
  const rules = Array.isArray(info.rules) ? info.rules.map(String).join(', ') : 'review';
  const box = el(
    'div',
    undefined,
    'border-left:3px solid var(--vscode-editorWarning-foreground);padding:4px 8px',
  );
  box.appendChild(
    el(
      'div',
      `Privet withheld this output (${String(info.verdict ?? 'flag')}: ${rules}).`,
      'font-weight:600',
    ),
  );
  box.appendChild(
    el(
      'div',
      'Use "Request review" in the cell status bar to send it to a reviewer; it stays off the notebook.',
      MUTED,
    ),
  );
  host.appendChild(box);
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
