/** Counts as tables: (key, count) as a `count` aggregate draws them, and series of bars. */
import { show, type Json } from './json-value.js';
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

/**
 * A series (label, value per drawn bar or slice) as a table. Labels that repeat (a bar drawn
 * twice at one category: overlaid, or stacked) add the item's index as a second label column, so
 * every drawn value keeps its own row and is still read as a count (a stacked total of
 * non-negative whole numbers is small only when one of its parts is).
 */
export function seriesTable(
  mime: string,
  [labelName, valueName]: [string, string],
  rows: [Json, Json][],
  ctx: string,
): Table | undefined {
  const shown = rows.map(([l]) => show(l));
  const repeats = new Set(shown).size < shown.length;
  const header = [labelName, ...(repeats ? ['#'] : []), valueName];
  const grid: GridCell[][] = [header.map((text) => ({ text, header: true }))];
  rows.forEach(([, v], i) =>
    grid.push([
      { text: shown[i] ?? '', header: true },
      ...(repeats ? [{ text: String(i + 1), header: true }] : []),
      { text: show(v), header: false },
    ]),
  );
  return gridToTable(mime, grid, 1, ctx, repeats ? 2 : 1);
}
