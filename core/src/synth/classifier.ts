// Why: "train on synthetic, test on real" needs a classifier that is fast, deterministic and
// dependency-free; categorical naive Bayes with add-one smoothing fits discrete tables exactly
// and trains in one pass. It is a utility *check*, not a production model.
import { SynthError } from './errors.js';
import type { DiscreteTable } from './table.js';

/** A fitted categorical naive Bayes model for one target column. */
export interface NaiveBayes {
  target: number;
  /** log P(class). */
  prior: Float64Array;
  /** Per feature column: log P(value | class), row-major [class][value] (undefined for the target). */
  likelihood: (Float64Array | undefined)[];
  /** Per feature column: 1 for each value seen in training (undefined for the target). */
  seen: (Uint8Array | undefined)[];
}

function targetIndex(t: DiscreteTable, target: string): number {
  const i = t.columns.findIndex((c) => c.name === target);
  if (i < 0)
    throw new SynthError(
      'metrics.no-target',
      `Target column "${target}" is not in the table`,
      'name an existing column',
    );
  return i;
}

/** Trains naive Bayes predicting column `target` from every other column. */
export function trainNaiveBayes(t: DiscreteTable, target: string): NaiveBayes {
  const ti = targetIndex(t, target);
  const k = t.columns[ti]!.size;
  const y = t.columns[ti]!.codes;
  const classCounts = new Float64Array(k);
  for (const v of y) classCounts[v]!++;
  const prior = classCounts.map((c) => Math.log((c + 1) / (t.rows + k)));
  const seen = t.columns.map((col, a) => {
    if (a === ti) return undefined;
    const mask = new Uint8Array(col.size);
    for (const v of col.codes) mask[v] = 1;
    return mask;
  });
  const likelihood = t.columns.map((col, a) => {
    if (a === ti) return undefined;
    const s = col.size;
    const counts = new Float64Array(k * s);
    for (let i = 0; i < t.rows; i++) counts[y[i]! * s + col.codes[i]!]!++;
    for (let c = 0; c < k; c++) {
      for (let v = 0; v < s; v++)
        counts[c * s + v] = Math.log((counts[c * s + v]! + 1) / (classCounts[c]! + s));
    }
    return counts;
  });
  return { target: ti, prior, likelihood, seen };
}

/** Predicted class of every row of `t` (same schema as the training table). */
export function predictNaiveBayes(model: NaiveBayes, t: DiscreteTable): Int32Array {
  const k = model.prior.length;
  const out = new Int32Array(t.rows);
  const score = new Float64Array(k);
  for (let i = 0; i < t.rows; i++) {
    score.set(model.prior);
    t.columns.forEach((col, a) => {
      const l = model.likelihood[a];
      const v = col.codes[i]!;
      // A value never seen in training says nothing about the class: the feature is left out
      // (its smoothed likelihood would favour the rarest classes).
      if (!l || !model.seen[a]?.[v]) return;
      const s = col.size;
      for (let c = 0; c < k; c++) score[c]! += l[c * s + v]!;
    });
    let best = 0;
    for (let c = 1; c < k; c++) if (score[c]! > score[best]!) best = c;
    out[i] = best;
  }
  return out;
}

/** F1 of predicting class `positive` (default 1) of `target` on `test`, training on `train`. */
export function trainTestF1(
  train: DiscreteTable,
  test: DiscreteTable,
  target: string,
  positive = 1,
): number {
  const model = trainNaiveBayes(train, target);
  const pred = predictNaiveBayes(model, test);
  const y = test.columns[targetIndex(test, target)]!.codes;
  let tp = 0;
  let fp = 0;
  let fn = 0;
  for (let i = 0; i < test.rows; i++) {
    if (pred[i] === positive && y[i] === positive) tp++;
    else if (pred[i] === positive) fp++;
    else if (y[i] === positive) fn++;
  }
  return tp === 0 ? 0 : (2 * tp) / (2 * tp + fp + fn);
}
