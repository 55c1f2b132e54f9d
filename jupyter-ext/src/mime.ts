/**
 * Renders a DP release (`application/vnd.privet.dp-release+json`) in notebook outputs: a table of
 * the released groups with each statistic's value and (1−alpha) interval, plus the release id and
 * cost. Built with textContent only, so nothing in a release can inject markup.
 */
import type { IRenderMime } from '@jupyterlab/rendermime-interfaces';
import { Widget } from '@lumino/widgets';
import { DP_RELEASE_MIME_TYPE, type DpRelease } from '@privet/core/protocol';

/** Formats a released number for display (integers grouped, others with 2 decimals). */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  return Number.isInteger(value) ? value.toLocaleString('en-US') : value.toFixed(2);
}

/** A one-line text summary of a release (the text/plain fallback). */
export function releaseText(release: DpRelease): string {
  const level = Math.round((1 - release.alpha) * 100);
  const lines = [
    `Privet DP release ${release.releaseId} (${release.mechanism}, ε=${release.cost.epsilon ?? '-'}, ${level}% intervals)`,
  ];
  for (const row of release.rows) {
    const keys = Object.entries(row.keys).map(([k, v]) => `${k}=${String(v)}`);
    const cells = Object.entries(row.values).map(
      ([k, c]) =>
        `${k}=${formatNumber(c.value)} [${formatNumber(c.interval[0])}, ${formatNumber(c.interval[1])}]`,
    );
    lines.push([...keys, ...cells].join('  '));
  }
  return lines.join('\n');
}

function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  text?: string,
  className?: string,
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  if (className) node.className = className;
  return node;
}

/** Builds the DOM of a release: caption, table with intervals, footer with id and plan hash. */
export function renderRelease(release: DpRelease, host: HTMLElement): void {
  host.replaceChildren();
  const level = Math.round((1 - release.alpha) * 100);
  const eps = release.cost.epsilon ?? release.cost.rho ?? '-';
  host.appendChild(
    el(
      'div',
      `DP release · ${release.mechanism.replace('_', ' ')} · cost ε=${eps}${release.cost.delta ? `, δ=${release.cost.delta}` : ''} · ${level}% intervals`,
      'jp-Privet-releaseCaption',
    ),
  );
  const table = el('table', undefined, 'jp-Privet-releaseTable');
  const head = el('tr');
  for (const c of release.columns) head.appendChild(el('th', c.name));
  table.appendChild(el('thead')).appendChild(head);
  const body = table.appendChild(el('tbody'));
  for (const row of release.rows) {
    const tr = body.appendChild(el('tr'));
    for (const c of release.columns) {
      if (c.role === 'key') {
        tr.appendChild(el('td', String(row.keys[c.name] ?? '')));
        continue;
      }
      const cell = row.values[c.name];
      const td = tr.appendChild(el('td'));
      if (!cell) continue;
      td.appendChild(el('span', formatNumber(cell.value), 'jp-Privet-releaseValue'));
      td.appendChild(
        el(
          'span',
          ` [${formatNumber(cell.interval[0])}, ${formatNumber(cell.interval[1])}]`,
          'jp-Privet-releaseInterval',
        ),
      );
    }
  }
  host.appendChild(table);
  const footer = el('div', 'release id ', 'jp-Privet-releaseFooter');
  footer.appendChild(el('code', release.releaseId, 'jp-Privet-releaseId'));
  for (const w of release.warnings) host.appendChild(el('div', w, 'jp-Privet-releaseWarning'));
  host.appendChild(footer);
}

/** The output widget for one DP release. */
export class DpReleaseRenderer extends Widget implements IRenderMime.IRenderer {
  /** Creates an empty renderer. */
  constructor() {
    super();
    this.addClass('jp-Privet-release');
  }

  /** Renders the release held by the model. */
  async renderModel(model: IRenderMime.IMimeModel): Promise<void> {
    const data = model.data[DP_RELEASE_MIME_TYPE] as unknown as DpRelease;
    renderRelease(data, this.node);
  }
}

/** The renderer factory (safe: the output is plain text in a table). */
export const rendererFactory: IRenderMime.IRendererFactory = {
  safe: true,
  mimeTypes: [DP_RELEASE_MIME_TYPE],
  defaultRank: 50,
  createRenderer: () => new DpReleaseRenderer(),
};

/** The mime extension (for `jupyterlab.mimeExtension` in package.json). */
const extension: IRenderMime.IExtension = {
  id: 'privet:dp-release-renderer',
  description: 'Renders Privet DP releases with intervals and the release id.',
  rendererFactory,
  rank: 50,
  dataType: 'json',
};

export default extension;
