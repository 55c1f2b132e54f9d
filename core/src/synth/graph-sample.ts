// Why: a calibrated junction tree is sampled exactly clique by clique from the root: the root's
// joint table, then for every child clique the new attributes given the separator values already
// drawn (P(new | separator) read off the child's belief). Each step allocates counts per separator
// group systematically and lays them out balanced against the columns drawn before (balanced.ts),
// so rows follow the model with far less sampling error than independent draws, and the whole pass
// is O(rows · columns + cells) per clique on typed arrays. Post-processing only.
import type { RandomSource } from '../dp/random.js';
import { projectionIndex } from './factor.js';
import type { GraphModel } from './graphical-model.js';
import { fillBalanced, randomPermutation, stratifiedOrder } from './balanced.js';
import { parentKeys, type CodeColumn } from './sample.js';

/** One sampling step: draw `fresh` attributes given the already drawn `given` ones. */
export interface GraphStep {
  given: number[];
  fresh: number[];
  /** Weights [given key][fresh key] (row-major over the listed attributes). */
  table: Float64Array;
  freshCells: number;
}

/** The sampling plan of a fitted model (computed once, reused for every sample). */
export function graphSteps(model: GraphModel): GraphStep[] {
  const { tree, sizes, beliefs } = model;
  return tree.order.map((i) => {
    const clique = tree.cliques[i]!;
    const given = tree.separators[i]!;
    const fresh = clique.filter((a) => !given.includes(a));
    const cs = clique.map((a) => sizes[a]!);
    const freshCells = fresh.reduce((x, a) => x * sizes[a]!, 1);
    const gIdx = projectionIndex(clique, cs, given);
    const fIdx = projectionIndex(clique, cs, fresh);
    const b = beliefs[i]!;
    const table = new Float64Array(b.length);
    for (let j = 0; j < b.length; j++) table[gIdx[j]! * freshCells + fIdx[j]!] = Math.exp(b[j]!);
    return { given, fresh, table, freshCells };
  });
}

/** Zeroes every step's weights for fresh cells that hold an empty value (compress.ts `empty`). */
export function dropEmptyCells(steps: readonly GraphStep[], empty: readonly Uint8Array[]): void {
  for (const s of steps) {
    const sizes = s.fresh.map((a) => empty[a]!.length);
    for (let f = 0; f < s.freshCells; f++) {
      // Decode the fresh key (row-major, last attribute fastest) and test each attribute's code.
      let rest = f;
      let dead = false;
      for (let j = s.fresh.length - 1; j >= 0; j--) {
        if (empty[s.fresh[j]!]![rest % sizes[j]!]) dead = true;
        rest = Math.floor(rest / sizes[j]!);
      }
      if (!dead) continue;
      for (let g = f; g < s.table.length; g += s.freshCells) s.table[g] = 0;
    }
  }
}

/**
 * Columns for `rows` codes of domains of these sizes, in the narrowest array that holds every code:
 * the scattered reads and writes of sampling then touch a quarter of the memory (Uint8Array) or
 * half (Uint16Array) of Int32Array's.
 */
function codeColumns(sizes: readonly number[], rows: number): CodeColumn[] {
  const max = Math.max(1, ...sizes);
  const Codes = max <= 256 ? Uint8Array : max <= 65536 ? Uint16Array : Int32Array;
  return sizes.map(() => new Codes(rows));
}

/** Samples `rows` rows of fine codes (one Int32Array per attribute) from the plan. */
export function sampleGraph(
  steps: readonly GraphStep[],
  sizes: readonly number[],
  rows: number,
  rng: RandomSource,
): Int32Array[] {
  // Rows are drawn in the order of a random permutation (the tie-break of every stratified order)
  // and moved to their own index at the end: the same rows as ordering by `base` at each step,
  // but each step then reads its keys sequentially instead of gathering them at random.
  const out = codeColumns(sizes, rows);
  const cell = new Int32Array(rows);
  const drawn: number[] = [];
  const base = randomPermutation(rows, rng);
  for (const s of steps) {
    const [key, groups] = parentKeys(out, [...sizes], s.given, rows);
    // Balance the fresh attributes against every column drawn so far, largest domains first.
    const strata = drawn.filter((a) => !s.given.includes(a)).sort((a, b) => sizes[b]! - sizes[a]!);
    const order = stratifiedOrder(key, groups, out, sizes, strata);
    drawn.push(...s.fresh);
    // One fresh attribute: its codes are the fresh key, written straight into its column.
    if (s.fresh.length === 1) {
      fillBalanced(order, s.freshCells, s.table, out[s.fresh[0]!]!, rng);
      continue;
    }
    fillBalanced(order, s.freshCells, s.table, cell, rng);
    // Decode the fresh key (row-major, last attribute fastest) into the attributes' codes.
    for (let j = s.fresh.length - 1, div = 1; j >= 0; j--) {
      const a = s.fresh[j]!;
      const k = sizes[a]!;
      const col = out[a]!;
      for (let r = 0; r < rows; r++) col[r] = Math.floor(cell[r]! / div) % k;
      div *= k;
    }
  }
  // Row base[i] is drawn row i: gathered through the inverse permutation (sequential writes).
  const drawnAt = new Int32Array(rows);
  for (let i = 0; i < rows; i++) drawnAt[base[i]!] = i;
  return out.map((col) => {
    const placed = new Int32Array(rows);
    for (let i = 0; i < rows; i++) placed[i] = col[drawnAt[i]!]!;
    return placed;
  });
}
