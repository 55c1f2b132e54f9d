/**
 * The fidelity report of a synthetic view as one static webview page: no script at all, a CSP that
 * allows only the extension's inline styles and the plots as a data: image (an SVG in an <img>
 * cannot run code). Every text from the gateway is HTML-escaped. Pure, so it is tested directly.
 */
import type { ViewWarning } from '@privet/core/protocol';
import type { FidelityReport } from '@privet/core/synth/fidelity-types';
import { escapeHtml } from '../shared/escape-html.js';

const pct = (x: number): string => `${(100 * x).toFixed(1)}%`;

/** Styles in the editor's theme colors (VS Code sets the --vscode-* variables in webviews). */
const STYLE = `
body { font-family: var(--vscode-font-family); color: var(--vscode-foreground); background: var(--vscode-editor-background); padding: 0 16px 16px; }
h1 { font-size: 1.3em; }
.note { color: var(--vscode-descriptionForeground); font-style: italic; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: 4px 12px; }
dt { color: var(--vscode-descriptionForeground); }
dd { margin: 0; }
table { border-collapse: collapse; margin: 8px 0; }
th, td { text-align: left; padding: 2px 10px 2px 0; border-bottom: 1px solid var(--vscode-panel-border); }
/* The gateway's plots are drawn for a white page (dark ink, no background of their own), so the
   figure stays white; its border (the high-contrast border, else the panel border) sets it apart
   from a dark or high-contrast editor. */
figure { margin: 12px 0; padding: 8px; background: #fff; border: 1px solid var(--vscode-contrastBorder, var(--vscode-panel-border, transparent)); border-radius: 4px; overflow-x: auto; }
figure img { display: block; max-width: none; }
.warnings { margin: 8px 0; padding: 4px 12px; border-left: 3px solid var(--vscode-editorWarning-foreground); background: var(--vscode-textBlockQuote-background); }
.warnings h2 { font-size: 1em; margin: 4px 0; }
.warnings ul { margin: 4px 0; padding-left: 18px; }
.warnings code { font-weight: 600; } /* VS Code's code colours: the warning colour on its code background was 2.2:1 in light themes */
`;

/** The view's column warnings (from its manifest) as a list, or nothing. */
function warningsSection(warnings: readonly ViewWarning[]): string {
  if (warnings.length === 0) return '';
  const items = warnings
    .map(
      (w) =>
        `<li data-column="${escapeHtml(w.column)}"><code>${escapeHtml(w.column)}</code>: ${escapeHtml(w.message)}. Fix: ${escapeHtml(w.fix)}.</li>`,
    )
    .join('');
  return `<section class="warnings" aria-label="Column warnings"><h2>Column warnings</h2><ul>${items}</ul></section>`;
}

/** The whole HTML page of `report`; `svg` is the gateway's plot text; `warnings` the view's. */
export function fidelityPage(
  report: FidelityReport,
  svg: string,
  warnings: readonly ViewWarning[] = [],
): string {
  const csp = "default-src 'none'; style-src 'unsafe-inline'; img-src data:";
  const u = report.utility;
  const image = `data:image/svg+xml;base64,${Buffer.from(svg, 'utf8').toString('base64')}`;
  const columns = report.columns
    .map((c) => `<tr><td>${escapeHtml(c.name)}</td><td>${c.tvd.toFixed(4)}</td></tr>`)
    .join('');
  const utility = u
    ? `<dt>Utility</dt><dd>predicting ${escapeHtml(u.target)}: trained on synthetic ${pct(
        u.accuracySyntheticOnReal,
      )}, on real ${pct(u.accuracyRealOnReal)}, majority class ${pct(u.accuracyMajority)}</dd>`
    : '';
  const name = escapeHtml(report.view);
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<title>Fidelity of ${name}</title><style>${STYLE}</style></head>
<body><main><h1>Fidelity of ${name}</h1>
<p class="note">${escapeHtml(report.note)}</p>
${warningsSection(warnings)}
<dl>
<dt>Rows</dt><dd>${report.syntheticRows.toLocaleString('en-US')} synthetic from ${report.realRows.toLocaleString('en-US')} real</dd>
<dt>Mean TVD</dt><dd id="tvd">1-way ${report.tvd.oneWay.toFixed(4)} · 2-way ${report.tvd.twoWay.toFixed(4)} · 3-way ${report.tvd.threeWay.toFixed(4)}</dd>
<dt>Association</dt><dd>Cramér's V differs by ${report.correlations.meanDifference.toFixed(3)} on average, ${report.correlations.maxDifference.toFixed(3)} at most</dd>
${utility}
</dl>
<table><thead><tr><th>column</th><th>TVD real vs synthetic</th></tr></thead><tbody>${columns}</tbody></table>
<figure><img src="${image}" alt="Per-column distributions of ${name}, real vs synthetic"></figure>
</main></body></html>`;
}
