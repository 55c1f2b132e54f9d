/**
 * Display text of a DP release, shared by JupyterLab's mime renderer and VS Code's notebook
 * renderer: numbers, intervals, the cost caption, the text/plain fallback and the table cells.
 * Pure text; each host builds its own DOM (with textContent only) from it.
 */
import type { DpRelease } from '../protocol.js';

/** Formats a released number for display (integers grouped, others with 2 decimals). */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  return Number.isInteger(value) ? value.toLocaleString('en-US') : value.toFixed(2);
}

/** The interval of a released value as text: `[lo, hi]`. */
export function intervalText(interval: readonly [number, number]): string {
  return `[${formatNumber(interval[0])}, ${formatNumber(interval[1])}]`;
}

/** The interval level in percent (alpha 0.05 → 95). */
export function intervalLevel(release: Pick<DpRelease, 'alpha'>): number {
  return Math.round((1 - release.alpha) * 100);
}

/** The cost of a release as text: `ε=0.5` (or `ρ=0.05` under zCDP), with `, δ=…` when it has one. */
export function costText(cost: DpRelease['cost']): string {
  const spent =
    cost.epsilon !== undefined
      ? `ε=${cost.epsilon}`
      : cost.rho !== undefined
        ? `ρ=${cost.rho}`
        : 'ε=-';
  return `${spent}${cost.delta ? `, δ=${cost.delta}` : ''}`;
}

/** The caption above a release table: mechanism, cost and interval level. */
export function releaseCaption(release: DpRelease): string {
  const mechanism = release.mechanism.replace('_', ' ');
  return `DP release · ${mechanism} · cost ${costText(release.cost)} · ${intervalLevel(release)}% intervals`;
}

/** A one-line-per-group text summary of a release (the text/plain fallback). */
export function releaseText(release: DpRelease): string {
  const lines = [
    `Privet DP release ${release.releaseId} (${release.mechanism}, ${costText(release.cost)}, ${intervalLevel(release)}% intervals)`,
  ];
  for (const row of release.rows) {
    const keys = Object.entries(row.keys).map(([k, v]) => `${k}=${String(v)}`);
    const cells = Object.entries(row.values).map(
      ([k, c]) => `${k}=${formatNumber(c.value)} ${intervalText(c.interval)}`,
    );
    lines.push([...keys, ...cells].join('  '));
  }
  return lines.join('\n');
}

/** One table cell of a release: a group key, a statistic with its interval, or nothing. */
export type ReleaseCell =
  | { kind: 'key'; text: string }
  | { kind: 'value'; value: string; interval: string }
  | { kind: 'empty' };

/** The release as a table of display text: header names and one row of cells per group. */
export function releaseTable(release: DpRelease): { header: string[]; rows: ReleaseCell[][] } {
  const header = release.columns.map((c) => c.name);
  const rows = release.rows.map((row) =>
    release.columns.map((c): ReleaseCell => {
      if (c.role === 'key') return { kind: 'key', text: String(row.keys[c.name] ?? '') };
      const cell = row.values[c.name];
      if (!cell) return { kind: 'empty' };
      return {
        kind: 'value',
        value: formatNumber(cell.value),
        interval: intervalText(cell.interval),
      };
    }),
  );
  return { header, rows };
}
