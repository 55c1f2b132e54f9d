/**
 * Renders a DP release (`application/vnd.privet.dp-release+json`) in notebook outputs: a table of
 * the released groups with each statistic's value and (1−alpha) interval, plus the release id and
 * cost. Built with textContent only, so nothing in a release can inject markup.
 */
import type { IRenderMime } from '@jupyterlab/rendermime-interfaces';
import { Widget } from '@lumino/widgets';
import { DP_RELEASE_MIME_TYPE, type DpRelease } from '@privet/core/protocol';
import {
  formatNumber,
  releaseCaption,
  releaseTable,
  releaseText,
} from '@privet/core/client/release-format';

export { formatNumber, releaseText };

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
  host.appendChild(el('div', releaseCaption(release), 'jp-Privet-releaseCaption'));
  const { header, rows } = releaseTable(release);
  const table = el('table', undefined, 'jp-Privet-releaseTable');
  const head = el('tr');
  for (const name of header) head.appendChild(el('th', name));
  table.appendChild(el('thead')).appendChild(head);
  const body = table.appendChild(el('tbody'));
  for (const row of rows) {
    const tr = body.appendChild(el('tr'));
    for (const cell of row) {
      const td = tr.appendChild(el('td', cell.kind === 'key' ? cell.text : undefined));
      if (cell.kind !== 'value') continue;
      td.appendChild(el('span', cell.value, 'jp-Privet-releaseValue'));
      td.appendChild(el('span', ` ${cell.interval}`, 'jp-Privet-releaseInterval'));
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
