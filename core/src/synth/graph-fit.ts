// Why: the fit pipeline needs the junction-tree model twice — as the final model, and during the
// extra selection rounds as a refreshed public "draft" sample to score candidates against — and
// both must respect the public cap on the tree's cells (past it, the network alone is sampled).
// Post-processing only: the inputs are released counts and public sizes.
import type { RandomSource } from '../dp/random.js';
import type { Compression } from './compress.js';
import { graphSteps, sampleGraph, type GraphStep } from './graph-sample.js';
import { estimateGraphModel, type Observation } from './graphical-model.js';
import { junctionTreeCells } from './junction-tree.js';
import { MAX_TREE_CELLS } from './options.js';
import type { NetSample } from './sample.js';

/** The sampling plan of the model fitted to `observations`, or undefined past the cell cap. */
export function fitGraph(
  sizes: readonly number[],
  observations: readonly Observation[],
  total: number,
  iterations: number,
  polish = 0,
  maxTreeCells = MAX_TREE_CELLS,
): GraphStep[] | undefined {
  const sets = observations.map((o) => o.attrs);
  if (junctionTreeCells(sizes.length, sizes, sets) > maxTreeCells || iterations <= 0) {
    return undefined;
  }
  return graphSteps(estimateGraphModel(sizes, observations, total, iterations, polish));
}

/** A systematic sample of `rows` rows from `steps`, with each column's coarse codes. */
export function drawDraft(
  steps: readonly GraphStep[],
  sizes: readonly number[],
  coarse: readonly Compression[],
  rows: number,
  rng: RandomSource,
): NetSample {
  const fine = sampleGraph(steps, sizes, rows, rng);
  return {
    fine,
    coarse: fine.map((codes, a) => Int32Array.from(codes, (x) => coarse[a]!.map[x]!)),
  };
}
