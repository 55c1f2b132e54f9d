/**
 * A plotly hierarchy's nodes linked into the tree plotly.js draws (`sunburst/calc.js`, which
 * treemap and icicle call, links them with d3's `stratify`), in typed arrays so that a
 * hierarchy of many nodes is linked in one pass without a list per node.
 */

/** The nodes of a hierarchy: id, parent id ('' for a root) and own value (undefined: none). */
export interface Nodes {
  ids: string[];
  parents: string[];
  own: (number | undefined)[];
}

/** The tree d3's `stratify` makes of the nodes, as typed arrays (no list per node to collect). */
export interface Tree {
  /** Each node's parent (-1 for a root). */
  parent: Int32Array;
  /** Each node's number of children. */
  children: Int32Array;
  /** Node indices, every parent before its children. */
  order: Int32Array;
}

/**
 * The root plotly.js implies when no node has a root parent ('') : the one parent id that is no
 * node's id. Undefined when there is none or more than one (plotly.js then draws nothing).
 */
function impliedRoot(
  parents: readonly string[],
  at: ReadonlyMap<string, number>,
): string | undefined {
  let root: string | undefined;
  for (const p of parents) {
    if (at.has(p)) continue;
    if (root !== undefined && root !== p) return undefined;
    root = p;
  }
  return root;
}

/**
 * Links the nodes as `stratify` does, adding the root plotly.js implies when no node has a root
 * parent. Undefined when plotly.js draws no hierarchy (a repeated id, a parent that is no node,
 * several implied roots, a cycle).
 */
export function linkTree(nodes: Nodes): Tree | undefined {
  const at = new Map<string, number>();
  for (let i = 0; i < nodes.ids.length; i++) {
    const id = nodes.ids[i] ?? '';
    if (at.has(id)) return undefined;
    at.set(id, i);
  }
  if (!nodes.parents.includes('')) {
    const root = impliedRoot(nodes.parents, at);
    if (root === undefined) return undefined;
    at.set(root, nodes.ids.length);
    nodes.ids.push(root);
    nodes.parents.push('');
    nodes.own.push(undefined);
  }
  const n = nodes.ids.length;
  const parent = new Int32Array(n);
  // Children laid out by parent: `first[j]` to `first[j + 1]` in `kids` are node j's.
  const first = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) {
    const p = nodes.parents[i] ?? '';
    const j = p === '' ? -1 : at.get(p);
    if (j === undefined) return undefined;
    parent[i] = j;
    if (j >= 0) first[j + 1] = (first[j + 1] ?? 0) + 1;
  }
  for (let j = 1; j <= n; j++) first[j] = (first[j] ?? 0) + (first[j - 1] ?? 0);
  const next = first.slice(0, n);
  const kids = new Int32Array(n);
  const order = new Int32Array(n);
  let len = 0;
  for (let i = 0; i < n; i++) {
    const j = parent[i] ?? -1;
    if (j < 0) order[len++] = i;
    else {
      const at = next[j] ?? 0;
      kids[at] = i;
      next[j] = at + 1;
    }
  }
  // Breadth first from the roots; each node has one parent, so is placed at most once.
  for (let k = 0; k < len; k++) {
    const j = order[k] ?? 0;
    for (let c = first[j] ?? 0; c < (first[j + 1] ?? 0); c++) order[len++] = kids[c] ?? 0;
  }
  // A node no root reaches is in a cycle.
  if (len !== n) return undefined;
  const children = new Int32Array(n);
  for (let j = 0; j < n; j++) children[j] = (first[j + 1] ?? 0) - (first[j] ?? 0);
  return { parent, children, order };
}
