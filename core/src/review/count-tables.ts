/** Counts as tables (key, count), as a chart aggregating rows with `count` draws them. */
import { gridToTable, type GridCell, type Table } from './table.js';

/** Counts rows per key: what a chart aggregating raw rows with `count` displays. */
export function countTable(
  mime: string,
  keys: readonly string[],
  name: string,
  ctx: string,
): Table[] {
  const counts = new Map<string, number>();
  for (const k of keys) counts.set(k, (counts.get(k) ?? 0) + 1);
  return tallyTable(mime, counts, name, ctx);
}

/** A count per key as a table (key, count). */
export function tallyTable(
  mime: string,
  counts: ReadonlyMap<string, number>,
  name: string,
  ctx: string,
): Table[] {
  const grid: GridCell[][] = [
    [
      { text: name, header: true },
      { text: 'count', header: true },
    ],
  ];
  for (const [k, n] of counts)
    grid.push([
      { text: k, header: true },
      { text: String(n), header: false },
    ]);
  const t = gridToTable(mime, grid, 1, `${ctx} count`, 1);
  return t ? [t] : [];
}
