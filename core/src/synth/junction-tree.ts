// Why: a graphical model whose cliques cover every measured marginal can be estimated and sampled
// exactly when its graph is chordal. We triangulate the graph of the measured attribute sets by
// greedy elimination (each step removes the vertex whose elimination clique has the fewest cells,
// the usual "min-weight" heuristic), keep the maximal elimination cliques, and join them by a
// maximum spanning tree on separator sizes, which has the running-intersection property for the
// cliques of a chordal graph. Public inputs only (attribute sets and domain sizes).

/** A junction tree over attributes 0..d-1 (cliques sorted ascending, parents before children). */
export interface JunctionTree {
  /** Attributes of each clique, ascending. */
  cliques: number[][];
  /** Cells of each clique (product of its domain sizes). */
  cells: number[];
  /** Parent clique of each clique (-1 for the root). */
  parent: number[];
  /** Clique indices with every parent before its children (root first). */
  order: number[];
  /** Attributes shared with the parent (ascending; empty for the root or a new component). */
  separators: number[][];
}

function product(attrs: readonly number[], sizes: readonly number[]): number {
  let p = 1;
  for (const a of attrs) p *= sizes[a]!;
  return p;
}

/** Maximal cliques of a greedy triangulation of the graph spanned by `sets` over d attributes. */
function triangulate(d: number, sizes: readonly number[], sets: readonly number[][]): number[][] {
  const adj = Array.from({ length: d }, () => new Set<number>());
  for (const s of sets) for (const a of s) for (const b of s) if (a !== b) adj[a]!.add(b);
  const alive = new Set<number>([...Array(d).keys()]);
  const found: number[][] = [];
  while (alive.size > 0) {
    let best = -1;
    let bestCost = Infinity;
    for (const v of alive) {
      const cost = product([v, ...adj[v]!], sizes);
      if (cost < bestCost) [best, bestCost] = [v, cost];
    }
    const clique = [best, ...adj[best]!].sort((x, y) => x - y);
    for (const a of adj[best]!) {
      for (const b of adj[best]!) if (a !== b) adj[a]!.add(b);
      adj[a]!.delete(best);
    }
    alive.delete(best);
    found.push(clique);
  }
  const isSubset = (a: number[], b: number[]): boolean => a.every((x) => b.includes(x));
  return found.filter(
    (c, i) =>
      !found.some(
        (o, j) =>
          j !== i && o.length >= c.length && isSubset(c, o) && (o.length > c.length || j < i),
      ),
  );
}

/** Builds a junction tree whose cliques cover every set in `sets` (and every attribute). */
export function buildJunctionTree(
  d: number,
  sizes: readonly number[],
  sets: readonly number[][],
): JunctionTree {
  const cliques = triangulate(d, sizes, sets);
  const m = cliques.length;
  // Kruskal on all clique pairs by separator size (weight-0 edges join separate components).
  const edges: [number, number, number][] = [];
  for (let i = 0; i < m; i++)
    for (let j = i + 1; j < m; j++)
      edges.push([cliques[i]!.filter((a) => cliques[j]!.includes(a)).length, i, j]);
  edges.sort((x, y) => y[0] - x[0] || x[1] - y[1] || x[2] - y[2]);
  const root = Array.from({ length: m }, (_, i) => i);
  const find = (x: number): number => (root[x] === x ? x : (root[x] = find(root[x]!)));
  const nbrs = Array.from({ length: m }, () => [] as number[]);
  for (const [, i, j] of edges) {
    const [ri, rj] = [find(i), find(j)];
    if (ri === rj) continue;
    root[ri] = rj;
    nbrs[i]!.push(j);
    nbrs[j]!.push(i);
  }
  // Root at the largest clique; breadth-first order.
  let top = 0;
  cliques.forEach((c, i) => {
    if (product(c, sizes) > product(cliques[top]!, sizes)) top = i;
  });
  const parent = new Array<number>(m).fill(-1);
  const order = [top];
  const seen = new Uint8Array(m);
  seen[top] = 1;
  for (let q = 0; q < order.length; q++) {
    for (const nb of nbrs[order[q]!]!) {
      if (seen[nb]) continue;
      seen[nb] = 1;
      parent[nb] = order[q]!;
      order.push(nb);
    }
  }
  const separators = cliques.map((c, i) =>
    parent[i]! < 0 ? [] : c.filter((a) => cliques[parent[i]!]!.includes(a)),
  );
  return { cliques, cells: cliques.map((c) => product(c, sizes)), parent, order, separators };
}

/** Total cells of the junction tree that would cover `sets` (the model-size check of AIM). */
export function junctionTreeCells(
  d: number,
  sizes: readonly number[],
  sets: readonly number[][],
): number {
  return triangulate(d, sizes, sets).reduce((s, c) => s + product(c, sizes), 0);
}
