// Why: the fidelity report compares synthetic rows with the real rows they were made from, on the
// same released codes: mean 1/2/3-way TVD (the NIST/MST/AIM metric), per-column bars, Cramér's V
// differences per pair (valid for nominal codes) and train-on-synthetic / test-on-real accuracy.
// Pure and deterministic, so the gateway, tests and benchmarks compute identical numbers.
import { predictNaiveBayes, trainNaiveBayes } from './classifier.js';
import { SynthError } from './errors.js';
import type {
  FidelityColumn,
  FidelityPair,
  FidelityReport,
  FidelityUtility,
} from './fidelity-types.js';
import { cramersV } from './metrics.js';
import { NULL_LABEL, OTHER_LABEL } from './encode.js';
import { NOT_RELEASED_LABEL } from './report-tables.js';
import { countMarginal, type DiscreteTable } from './table.js';
import { combinations, marginalTvd } from './tvd.js';

/** Largest 3-way marginal (cells) the report computes; bigger ones are skipped and counted. */
export const MAX_REPORT_CELLS = 2_000_000;

/** Most bars drawn per column; the remaining categories are merged into one bar. */
export const MAX_BARS = 16;

/** Labels whose bars are never merged: the catch-all, the real values not released, the nulls. */
const PINNED_LABELS: ReadonlySet<string> = new Set([OTHER_LABEL, NOT_RELEASED_LABEL, NULL_LABEL]);

/** Inputs of `fidelityReport`. */
export interface FidelityInput {
  view: string;
  real: DiscreteTable;
  synthetic: DiscreteTable;
  /** Label of every code per column (same order as the tables' columns). */
  labels: readonly (readonly string[])[];
  target?: string;
  createdAt: string;
}

function meanOver(sets: number[][], f: (s: number[]) => number): number {
  if (sets.length === 0) return 0;
  let s = 0;
  for (const set of sets) s += f(set);
  return s / sets.length;
}

function columnBars(input: FidelityInput, a: number): FidelityColumn {
  const real = countMarginal(input.real, [a]);
  const syn = countMarginal(input.synthetic, [a]);
  const nr = Math.max(1, input.real.rows);
  const ns = Math.max(1, input.synthetic.rows);
  const labels = input.labels[a] ?? [];
  const order = Array.from(real.keys()).sort((x, y) => real[y]! - real[x]! || x - y);
  // The catch-all, the real values not released and the nulls always get their own bar.
  const pinned = new Set(
    order.filter((c) => PINNED_LABELS.has(labels[c] ?? '') && real[c]! + syn[c]! > 0),
  );
  const shown =
    real.length <= MAX_BARS
      ? Array.from(real.keys())
      : order
          .filter((c, i) => pinned.has(c) || i < MAX_BARS - 1 - pinned.size)
          .slice(0, MAX_BARS - 1);
  const bars = shown.map((c) => ({
    label: labels[c] ?? String(c),
    real: real[c]! / nr,
    synthetic: syn[c]! / ns,
  }));
  if (shown.length < real.length) {
    const inShown = new Set(shown);
    let r = 0;
    let s = 0;
    for (let c = 0; c < real.length; c++)
      if (!inShown.has(c)) {
        r += real[c]!;
        s += syn[c]!;
      }
    bars.push({ label: `… ${real.length - shown.length} more`, real: r / nr, synthetic: s / ns });
  }
  return {
    name: input.real.columns[a]!.name,
    tvd: marginalTvd(input.real, input.synthetic, [a]),
    bars,
  };
}

function accuracy(pred: Int32Array, truth: Int32Array): number {
  if (truth.length === 0) return 0;
  let hit = 0;
  for (let i = 0; i < truth.length; i++) if (pred[i] === truth[i]) hit++;
  return hit / truth.length;
}

function utility(input: FidelityInput, target: string): FidelityUtility {
  const ti = input.real.columns.findIndex((c) => c.name === target);
  if (ti < 0) {
    throw new SynthError(
      'fidelity.no-target',
      `Target column "${target}" is not one of the view's columns`,
      'name one of the view columns as target in the policy',
    );
  }
  const truth = input.real.columns[ti]!.codes;
  const synCounts = countMarginal(input.synthetic, [ti]);
  let majority = 0;
  for (let c = 1; c < synCounts.length; c++) if (synCounts[c]! > synCounts[majority]!) majority = c;
  let hits = 0;
  for (const y of truth) if (y === majority) hits++;
  return {
    target,
    accuracySyntheticOnReal: accuracy(
      predictNaiveBayes(trainNaiveBayes(input.synthetic, target), input.real),
      truth,
    ),
    accuracyRealOnReal: accuracy(
      predictNaiveBayes(trainNaiveBayes(input.real, target), input.real),
      truth,
    ),
    accuracyMajority: truth.length === 0 ? 0 : hits / truth.length,
  };
}

/** The fidelity report of a synthetic table against the real one (same columns and domains). */
export function fidelityReport(input: FidelityInput): FidelityReport {
  const { real, synthetic } = input;
  const d = real.columns.length;
  const sameSchema =
    synthetic.columns.length === d &&
    real.columns.every(
      (c, i) => c.name === synthetic.columns[i]!.name && c.size === synthetic.columns[i]!.size,
    );
  if (!sameSchema) {
    throw new SynthError(
      'fidelity.mismatch',
      'The real and synthetic tables have different columns or domains',
      'compare tables encoded with the same released domains',
    );
  }
  const cells = (s: number[]) => s.reduce((p, a) => p * real.columns[a]!.size, 1);
  const triples = combinations(d, 3);
  const measurable = triples.filter((s) => cells(s) <= MAX_REPORT_CELLS);
  const tvd = (s: number[]) => marginalTvd(real, synthetic, s);
  const pairs: FidelityPair[] = combinations(d, 2).map(([a, b]) => {
    const r = cramersV(real, a!, b!);
    const s = cramersV(synthetic, a!, b!);
    return {
      columns: [real.columns[a!]!.name, real.columns[b!]!.name],
      real: r,
      synthetic: s,
      difference: Math.abs(r - s),
    };
  });
  const diffs = pairs.map((p) => p.difference);
  return {
    view: input.view,
    createdAt: input.createdAt,
    realRows: real.rows,
    syntheticRows: synthetic.rows,
    tvd: {
      oneWay: meanOver(combinations(d, 1), tvd),
      twoWay: meanOver(combinations(d, 2), tvd),
      threeWay: meanOver(measurable, tvd),
      threeWaySkipped: triples.length - measurable.length,
    },
    columns: real.columns.map((_, a) => columnBars(input, a)),
    correlations: {
      meanDifference: diffs.length > 0 ? diffs.reduce((x, y) => x + y, 0) / diffs.length : 0,
      maxDifference: diffs.length > 0 ? Math.max(...diffs) : 0,
      pairs,
    },
    ...(input.target ? { utility: utility(input, input.target) } : {}),
    note: 'Computed on the raw data (not differentially private); share only as the policy allows.',
  };
}
