/**
 * Plotly traces that draw counts of groups: hierarchies (sunburst, treemap, icicle) and parallel
 * categories (parcats, plot-parcats.ts), read as count tables. A hierarchy is read as plotly.js's
 * `sunburst/calc.js` (which treemap and icicle call) builds it: a node per item with a valid id
 * (`ids`, else `labels`) and, when `values` are given, a value ≥ 0; `parents` name ids ('' or
 * none for a root); each node draws its own value under `branchvalues: 'total'`, its own value
 * plus its descendants' under 'remainder' (the default), and without values the number of leaves
 * (`count`) beneath it. px.sunburst/treemap/icicle(path=…) send each node's row count as its value.
 */
import type { Json } from './json-value.js';
import { parcatsTables } from './plot-parcats.js';
import { sliceNumber } from './plot-holes.js';
import { linkTree, type Nodes, type Tree } from './plot-hierarchy-tree.js';
import type { ArrayOf } from './plot-traces.js';
import { gridToTable, type GridCell, type Table } from './table.js';
import { isTypedArraySpec, type ListOf } from './typed-arrays.js';

/** The trace types that draw a hierarchy with `sunburst/calc.js`. */
const HIERARCHIES: ReadonlySet<string> = new Set(['sunburst', 'treemap', 'icicle']);

/**
 * The count tables a hierarchy or parcats trace of `type` draws ([] for any other type);
 * `listOf` reads lists nested in the trace (the figure's typed-array decoder).
 */
export function hierarchyTables(
  mime: string,
  type: string,
  tr: Record<string, Json>,
  arr: ArrayOf,
  ctx: string,
  listOf: ListOf,
): Table[] {
  if (HIERARCHIES.has(type)) return hierarchyCounts(mime, tr, arr, ctx);
  if (type === 'parcats') return parcatsTables(mime, tr, arr, ctx, listOf);
  return [];
}

/** True when plotly.js takes `v` as a data array (a list, or a typed array). */
const isList = (v: Json | undefined): boolean => Array.isArray(v) || isTypedArraySpec(v);

/** An id or parent plotly.js accepts (`isValidKey`: truthy, or any number, 0 included). */
const validKey = (k: Json | undefined): boolean => typeof k === 'number' || Boolean(k);

/** An id as plotly.js keys it (`String(k)`; an object as its JSON, so distinct ones stay apart). */
const keyText = (k: Json | undefined): string =>
  typeof k === 'object' && k !== null ? JSON.stringify(k) : String(k);

/**
 * The nodes plotly.js builds (calc.js): items up to the shortest of ids (or labels), parents and
 * values, with a valid id and, when values are given, a value it accepts (≥ 0).
 */
function hierarchyNodes(tr: Record<string, Json>, arr: ArrayOf, withValues: boolean): Nodes {
  const keys = isList(tr.ids) ? arr('ids') : arr('labels');
  const parents = arr('parents');
  const values = withValues ? arr('values') : [];
  let len = Math.min(keys.length, parents.length);
  if (withValues) len = Math.min(len, values.length);
  const nodes: Nodes = { ids: [], parents: [], own: [] };
  for (let i = 0; i < len; i++) {
    const v = withValues ? sliceNumber(values[i]) : undefined;
    if (!validKey(keys[i]) || (withValues && v === undefined)) continue;
    nodes.ids.push(keyText(keys[i]));
    nodes.parents.push(validKey(parents[i]) ? keyText(parents[i]) : '');
    nodes.own.push(v);
  }
  return nodes;
}

/** The `count` flags of a hierarchy without values: 'leaves' (the default) and/or 'branches'. */
function countFlags(count: Json | undefined): { leaves: boolean; branches: boolean } {
  const flags = typeof count === 'string' ? count.split('+') : [];
  if (flags.length === 0 || flags.some((f) => f !== 'leaves' && f !== 'branches'))
    return { leaves: true, branches: false };
  return { leaves: flags.includes('leaves'), branches: flags.includes('branches') };
}

/**
 * The value each node draws (undefined for one not read): with values, its own ('total'; an
 * implied root the sum of its children) or its own plus its descendants' ('remainder'); without,
 * the leaves (and branches, per `count`) beneath it, read for branches only: a leaf's 1 is fixed
 * by the chart's shape, not by data.
 */
function drawnValues(
  tr: Record<string, Json>,
  nodes: Nodes,
  tree: Tree,
  withValues: boolean,
): (number | undefined)[] {
  const { parent, children, order } = tree;
  const total = tr.branchvalues === 'total';
  const flags = countFlags(tr.count);
  const n = nodes.ids.length;
  const drawn = new Array<number | undefined>(n);
  // What the children of each node add up to: their own values under 'total', else their drawn.
  const sums = new Float64Array(n);
  for (let k = n - 1; k >= 0; k--) {
    const i = order[k] ?? 0;
    const own = nodes.own[i];
    const branch = (children[i] ?? 0) > 0;
    const sum = sums[i] ?? 0;
    let v: number;
    if (!withValues) v = branch ? sum + (flags.branches ? 1 : 0) : +flags.leaves;
    else if (total) v = own ?? sum;
    else v = (own ?? 0) + sum;
    drawn[i] = withValues || (flags.leaves && branch) ? v : undefined;
    const j = parent[i] ?? -1;
    if (j >= 0) sums[j] = (sums[j] ?? 0) + (total && withValues ? (own ?? 0) : v);
  }
  return drawn;
}

/**
 * A sunburst's, treemap's or icicle's drawn node values as a count table, when they are counts:
 * whole numbers (a value that is not is an amount, and nothing is read, as for bars). Where
 * plotly.js draws no hierarchy from the values, each node's own value is read (fail closed).
 */
function hierarchyCounts(
  mime: string,
  tr: Record<string, Json>,
  arr: ArrayOf,
  ctx: string,
): Table[] {
  // supplyDefaults hides a hierarchy without labels or parents; values given empty draw nothing.
  if (arr('labels').length === 0 || arr('parents').length === 0) return [];
  const withValues = isList(tr.values);
  if (withValues && arr('values').length === 0) return [];
  const nodes = hierarchyNodes(tr, arr, withValues);
  if (nodes.own.some((v) => v !== undefined && !Number.isInteger(v))) return [];
  const tree = linkTree(nodes);
  if (tree === undefined && !withValues) return [];
  const drawn = tree ? drawnValues(tr, nodes, tree, withValues) : nodes.own;
  // A table (id or label, count) as `tallyTable` makes, built here without a Map of every node.
  const grid: GridCell[][] = [
    [
      { text: isList(tr.ids) ? 'id' : 'label', header: true },
      { text: 'count', header: true },
    ],
  ];
  for (let i = 0; i < drawn.length; i++) {
    const v = drawn[i];
    if (v === undefined || v === 0) continue;
    const id = nodes.ids[i] ?? '';
    // Without a tree ids may repeat: each node keeps its own row (its index makes the key unique).
    grid.push([
      { text: tree ? id : `${id} (${i + 1})`, header: true },
      { text: String(v), header: false },
    ]);
  }
  const t = gridToTable(mime, grid, 1, `${ctx} count`, 1);
  return t ? [t] : [];
}
