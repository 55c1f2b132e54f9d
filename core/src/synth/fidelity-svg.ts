// Why: per-column bar plots of real vs synthetic shares as one self-contained SVG string — no
// chart library, no scripts, every label XML-escaped, so the file is safe to serve and embed.
import type { FidelityColumn, FidelityReport } from './fidelity-types.js';

const BAR_H = 12;
const GAP = 6;
const LABEL_W = 150;
const PLOT_W = 260;
const REAL = '#4c78a8';
const SYNTH = '#f58518';

/** Escapes text for SVG/XML content and attributes. */
export function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) =>
    c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '&' ? '&amp;' : c === '"' ? '&quot;' : '&#39;',
  );
}

const fixed = (x: number) => (Math.round(x * 10) / 10).toString();
const pct = (x: number) => `${(Math.round(x * 1000) / 10).toString()}%`;

function short(label: string): string {
  return label.length > 22 ? `${label.slice(0, 21)}…` : label;
}

/** The bars of one column as an SVG group at vertical offset `y0`; returns it and its height. */
function columnGroup(col: FidelityColumn, y0: number): { svg: string; height: number } {
  const max = Math.max(1e-12, ...col.bars.flatMap((b) => [b.real, b.synthetic]));
  const parts = [
    `<text x="0" y="${y0 + 14}" font-weight="bold">${escapeXml(col.name)} (TVD ${col.tvd.toFixed(3)})</text>`,
  ];
  let y = y0 + 22;
  for (const b of col.bars) {
    const wr = (b.real / max) * PLOT_W;
    const ws = (b.synthetic / max) * PLOT_W;
    parts.push(
      `<text x="${LABEL_W - 4}" y="${y + BAR_H - 2}" text-anchor="end">${escapeXml(short(b.label))}</text>`,
      `<rect x="${LABEL_W}" y="${y}" width="${fixed(wr)}" height="${BAR_H / 2}" fill="${REAL}"><title>real ${pct(b.real)}</title></rect>`,
      `<rect x="${LABEL_W}" y="${y + BAR_H / 2}" width="${fixed(ws)}" height="${BAR_H / 2}" fill="${SYNTH}"><title>synthetic ${pct(b.synthetic)}</title></rect>`,
    );
    y += BAR_H + 2;
  }
  return { svg: parts.join(''), height: y - y0 + GAP };
}

/** One SVG document with a bar plot per column (real blue, synthetic orange). */
export function fidelitySvg(report: FidelityReport): string {
  const groups: string[] = [];
  let y = 30;
  for (const col of report.columns) {
    const g = columnGroup(col, y);
    groups.push(g.svg);
    y += g.height;
  }
  const width = LABEL_W + PLOT_W + 20;
  const legend =
    `<rect x="0" y="6" width="10" height="10" fill="${REAL}"/><text x="14" y="15">real</text>` +
    `<rect x="60" y="6" width="10" height="10" fill="${SYNTH}"/><text x="74" y="15">synthetic</text>` +
    `<text x="150" y="15">${escapeXml(report.view)}: 2-way TVD ${report.tvd.twoWay.toFixed(3)}</text>`;
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${y}" viewBox="0 0 ${width} ${y}" ` +
    `font-family="sans-serif" font-size="11">${legend}${groups.join('')}</svg>\n`
  );
}
