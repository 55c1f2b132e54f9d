// Why: the fit pipeline needs the junction-tree model twice — as the final model, and during the
// extra selection rounds as a refreshed public "draft" sample to score candidates against — and
// both must respect the public cap on the tree's cells (past it, the network alone is sampled).
// Post-processing only: the inputs are released counts and public sizes.
import type { RandomSource } from '../dp/random.js';
import type { Compression } from './compress.js';
import { dropEmptyCells, graphSteps, sampleGraph, type GraphStep } from './graph-sample.js';
import { estimateGraphModel, type Observation } from './graphical-model.js';
import { junctionTreeCells } from './junction-tree.js';
import { MAX_TREE_CELLS } from './options.js';
import type { NetSample } from './sample.js';
import { recode } from './table.js';

/** Settings of `fitGraph`. */
export interface GraphFitSettings {
  /** Multiplicative-update steps (0: no model). */
  iterations: number;
  /** L2 mirror-descent steps after them (default 0). */
  polish?: number;
  /** Public cap on the junction tree's cells (default MAX_TREE_CELLS). */
  maxTreeCells?: number;
  /** Per column, the cells never to generate (compress.ts `empty`). */
  empty?: readonly Uint8Array[];
}

/** The sampling plan of the model fitted to `observations`, or undefined past the cell cap. */
export function fitGraph(
  sizes: readonly number[],
  observations: readonly Observation[],
  total: number,
  settings: GraphFitSettings,
): GraphStep[] | undefined {
  const sets = observations.map((o) => o.attrs);
  const cap = settings.maxTreeCells ?? MAX_TREE_CELLS;
  if (junctionTreeCells(sizes.length, sizes, sets) > cap || settings.iterations <= 0) {
    return undefined;
  }
  const model = estimateGraphModel(
    sizes,
    observations,
    total,
    settings.iterations,
    settings.polish ?? 0,
  );
  const steps = graphSteps(model);
  if (settings.empty) dropEmptyCells(steps, settings.empty);
  return steps;
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
    coarse: fine.map((codes, a) => recode(codes, coarse[a]!.map)),
  };
}
