// Why: one entry point that owns the budget end to end — it converts (ε, δ) to ρ once, lets the
// caller pre-charge domain discovery on the same ledger, fits, samples, and returns the full list
// of measurements so a manifest can show every share. Sampling is separate so a fitted model can
// be re-sampled (post-processing, no further budget).
import type { RandomSource } from '../dp/random.js';
import { rhoForEpsilonDelta, SynthLedger, type Measurement } from './budget.js';
import { sampleGraph } from './graph-sample.js';
import { expandCodes, sampleNet } from './sample.js';
import {
  fitSynthesizer,
  type BudgetSplit,
  type FitOptions,
  type FittedSynthesizer,
  type ProgressCallback,
} from './fit.js';
import { SynthError } from './errors.js';
import type { DiscreteTable } from './table.js';
import type { Rational } from '../dp/rational.js';

/** Options of `synthesize`. */
export interface SynthesizeOptions {
  /** Total ε of the whole run (domain discovery included when `ledger` is passed). */
  epsilon: number;
  /** Total δ of the whole run. */
  delta: number;
  /** Randomness for noise and sampling (seeded ChaCha20 or the system CSPRNG). */
  rng: RandomSource;
  /** Rows to generate; default: the DP estimate of the input row count. */
  rows?: number;
  split?: BudgetSplit;
  /** Largest number of parents per column (default 1: a tree backbone). */
  maxParents?: number;
  /** Most coarse bins per column (default 16). */
  coarseBins?: number;
  /** Experiment knobs passed to the fit (see FitOptions.tuning). */
  tuning?: FitOptions['tuning'];
  onProgress?: ProgressCallback;
  /** A ledger already charged with domain discovery; default: a fresh one from (ε, δ). */
  ledger?: SynthLedger;
}

/** What `synthesize` returns: the synthetic table plus the privacy accounting. */
export interface SynthesisResult {
  table: DiscreteTable;
  fitted: FittedSynthesizer;
  rhoTotal: Rational;
  rhoSpent: Rational;
  measurements: Measurement[];
}

/** Generates DP synthetic rows from a discrete table within (ε, δ). */
export function synthesize(table: DiscreteTable, options: SynthesizeOptions): SynthesisResult {
  const ledger =
    options.ledger ?? new SynthLedger(rhoForEpsilonDelta(options.epsilon, options.delta));
  const fitted = fitSynthesizer(table, {
    ledger,
    rng: options.rng,
    ...(options.split ? { split: options.split } : {}),
    ...(options.maxParents ? { maxParents: options.maxParents } : {}),
    ...(options.coarseBins ? { coarseBins: options.coarseBins } : {}),
    ...(options.tuning ? { tuning: options.tuning } : {}),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
  });
  const rows = options.rows ?? fitted.estimatedRows;
  const synthetic = sampleSynthetic(fitted, rows, options.rng);
  options.onProgress?.('sample', 1);
  return {
    table: synthetic,
    fitted,
    rhoTotal: ledger.total,
    rhoSpent: ledger.spent(),
    measurements: ledger.measurements(),
  };
}

/** Samples `rows` synthetic rows from a fitted model (post-processing: spends no budget). */
export function sampleSynthetic(
  fitted: FittedSynthesizer,
  rows: number,
  rng: RandomSource,
): DiscreteTable {
  if (!Number.isSafeInteger(rows) || rows < 0) {
    throw new SynthError(
      'sample.bad-rows',
      `Cannot generate ${rows} rows`,
      'pass a non-negative whole number of rows',
    );
  }
  const compressed = fitted.graph
    ? sampleGraph(fitted.graph, fitted.model.sizes, rows, rng)
    : sampleNet(fitted.model, rows, rng);
  const columns = fitted.names.map((name, a) => {
    const c = fitted.compressions[a]!;
    return { name, size: c.size, codes: expandCodes(c, compressed[a]!, rng) };
  });
  return { columns, rows };
}
