// Why: the public shapes of the synthesizer (options, stages, fitted state) live apart from the
// fitting algorithm so hosts can import them without pulling in the fit, and fit.ts stays small.
import type { RandomSource } from '../dp/random.js';
import type { SynthLedger } from './budget.js';
import type { Compression } from './compress.js';
import type { NetModel } from './sample.js';

/** Pipeline stages reported to the progress callback. */
export type SynthStage = 'one-way' | 'select' | 'estimate' | 'sample';

/** Called with the stage and the fraction of that stage done (0..1). */
export type ProgressCallback = (stage: SynthStage, fraction: number) => void;

/** Fractions of the remaining ρ for 1-way, selection and marginal measurements (sum ≤ 1). */
export interface BudgetSplit {
  oneWay: number;
  select: number;
  marginal: number;
}

/** The default split, tuned on Adult at ε = 1. */
export const DEFAULT_SPLIT: BudgetSplit = { oneWay: 0.4, select: 0.1, marginal: 0.5 };

/** Options of `fitSynthesizer`. */
export interface FitOptions {
  ledger: SynthLedger;
  rng: RandomSource;
  split?: BudgetSplit;
  /** Largest number of parents per column (1 = a tree, 2 = default). */
  maxParents?: number;
  /** Most coarse bins per column for parent keys and coarse tables (default 12). */
  coarseBins?: number;
  /** Multipliers for experiments: compression threshold (in σ₁), size penalty (default 0.5), shrinkage (in σ₂). */
  tuning?: { compress?: number; penalty?: number; shrink?: number };
  onProgress?: ProgressCallback;
}

/** A fitted synthesizer: public (noisy, post-processed) state only — safe to keep and reuse. */
export interface FittedSynthesizer {
  names: string[];
  compressions: Compression[];
  model: NetModel;
  /** Each column with its parents and table level, by name, in sampling order. */
  structure: { column: string; parents: string[]; level: 'fine' | 'coarse' }[];
  /** DP estimate of the number of rows. */
  estimatedRows: number;
}

/** Default most coarse bins per column. */
export const DEFAULT_COARSE_BINS = 12;

/** Public cap on the cells of one measured marginal (bounds time and memory). */
export const MAX_CELLS = 50_000;
