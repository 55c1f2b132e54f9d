// Why: a Bayesian network can use each measured marginal only as one column's conditional, but
// the junction-tree estimator can use any number of overlapping marginals. So, as AIM does, we
// spend a share of ρ on extra rounds: each round the exponential mechanism picks the pair of
// columns (at their coarse level) that the current model gets most wrong, with AIM's size penalty
// (the expected L1 noise of measuring it), among pairs that keep the junction tree under the public
// cell cap; the pair is then measured with the discrete Gaussian. The score compares the true
// counts with public, integer-rounded model counts, so it moves by ≤ 1 when one row changes.
import type { RandomSource } from '../dp/random.js';
import type { Rational } from '../dp/rational.js';
import { emEpsilonFor, sigma2For, type SynthLedger } from './budget.js';
import type { Compression } from './compress.js';
import type { Observation } from './graphical-model.js';
import { denoiseInteraction } from './denoise.js';
import { junctionTreeCells } from './junction-tree.js';
import { exponentialMechanism, noisyCounts } from './noise.js';
import { MAX_CELLS } from './options.js';
import { parentKeys, type NetSample } from './sample.js';

/** One candidate pair and the level it would be measured at. */
interface Candidate {
  attrs: number[];
  fine: boolean;
}

/** Inputs of `measureExtraPairs`. */
export interface RefineInputs {
  ledger: SynthLedger;
  rng: RandomSource;
  names: string[];
  /** Fine (compressed) domain sizes. */
  sizes: number[];
  coarse: Compression[];
  /** Real rows' coarse codes per column (touched only in scores and measurements). */
  realCoarse: Int32Array[];
  /** Real rows' fine (compressed) codes per column (touched only in scores and measurements). */
  realFine: Int32Array[];
  /** A public sample of the current model: fine and coarse codes per column. */
  draft: NetSample;
  draftRows: number;
  total: number;
  /** ρ for all extra rounds together (selection and measurement). */
  rho: Rational;
  rounds: number;
  penalty: number;
  maxTreeCells: number;
  /** Largest coarse triple considered (0: pairs only). */
  maxTripleCells: number;
  /** Refit the model and redraw the draft every this many rounds (0: never). */
  refitEvery: number;
  /** A fresh public draft (coarse codes, `draftRows` rows) from a model fit to `observations`. */
  redraft: (observations: readonly Observation[]) => NetSample;
}

/** Runs the extra rounds, appending each released pair marginal to `observations`. */
export function measureExtraPairs(o: RefineInputs, observations: Observation[]): void {
  if (o.rounds <= 0) return;
  const d = o.sizes.length;
  const perRound = o.rho.div(BigInt(o.rounds));
  const rhoSel = perRound.div(10n);
  const epsSel = emEpsilonFor(rhoSel);
  const rhoEm = epsSel.mul(epsSel).div(8n);
  const rhoMeasure = perRound.sub(rhoEm);
  const sigma2 = sigma2For(rhoMeasure);
  const sd = Math.sqrt(sigma2.toNumber());
  const coarseSizes = o.coarse.map((z) => z.compressedSize);
  const covered = (set: number[]): boolean =>
    observations.some((ob) => set.every((x) => ob.attrs.includes(x)));
  const sets0: number[][] = [];
  for (let a = 0; a < d; a++)
    for (let b = a + 1; b < d; b++) {
      sets0.push([a, b]);
      if (o.maxTripleCells > 0)
        for (let c = b + 1; c < d; c++)
          if (coarseSizes[a]! * coarseSizes[b]! * coarseSizes[c]! <= o.maxTripleCells)
            sets0.push([a, b, c]);
    }
  /** Counts over `attrs` of the given columns (row-major, first attribute slowest). */
  const count = (cols: Int32Array[], ks: number[], attrs: number[]): Float64Array => {
    const rows = cols[attrs[0]!]!.length;
    if (attrs.length === 2) {
      const [x, y, ky] = [cols[attrs[0]!]!, cols[attrs[1]!]!, ks[attrs[1]!]!];
      const out = new Float64Array(ks[attrs[0]!]! * ky);
      for (let i = 0; i < rows; i++) out[x[i]! * ky + y[i]!]!++;
      return out;
    }
    const [key, cells] = parentKeys(cols, ks, attrs, rows);
    const out = new Float64Array(cells);
    for (let i = 0; i < rows; i++) out[key[i]!]!++;
    return out;
  };
  const scale = o.total / Math.max(1, o.draftRows);
  let draft = o.draft;
  // True counts never change and model counts only change with the draft: count each pair once.
  const realCache = new Map<string, Float64Array>();
  let modelCache = new Map<string, Float64Array>();
  const cached = (
    cache: Map<string, Float64Array>,
    id: string,
    make: () => Float64Array,
  ): Float64Array => {
    let v = cache.get(id);
    if (!v) cache.set(id, (v = make()));
    return v;
  };
  for (let round = 0; round < o.rounds; round++) {
    if (o.refitEvery > 0 && round > 0 && round % o.refitEvery === 0) {
      draft = o.redraft(observations);
      modelCache = new Map();
    }
    const sets = observations.map((ob) => ob.attrs);
    const candidates: Candidate[] = [];
    const scores: number[] = [];
    for (const set of sets0) {
      if (covered(set)) continue;
      if (junctionTreeCells(d, o.sizes, [...sets, set]) > o.maxTreeCells) continue;
      for (const fine of set.length === 2 ? [false, true] : [false]) {
        const ks = fine ? o.sizes : coarseSizes;
        const cells = set.reduce((p, x) => p * ks[x]!, 1);
        if (fine && cells === set.reduce((p, x) => p * coarseSizes[x]!, 1)) continue;
        if (cells > MAX_CELLS) continue;
        const id = `${set.join(',')},${fine ? 'f' : 'c'}`;
        const real = cached(realCache, id, () => count(fine ? o.realFine : o.realCoarse, ks, set));
        const model = cached(modelCache, id, () =>
          count(fine ? draft.fine : draft.coarse, ks, set),
        );
        let l1 = 0;
        for (let j = 0; j < real.length; j++)
          l1 += Math.abs(real[j]! - Math.round(model[j]! * scale));
        candidates.push({ attrs: set, fine });
        scores.push(l1 - Math.round(o.penalty * Math.sqrt(2 / Math.PI) * sd * cells));
      }
    }
    if (candidates.length === 0) return;
    o.ledger.charge({ kind: 'select', attrs: [], rho: rhoEm, epsilon: epsSel });
    const { attrs, fine } = candidates[exponentialMechanism(scores, epsSel, o.rng)]!;
    o.ledger.charge({
      kind: 'marginal',
      attrs: attrs.map((x) => o.names[x]!),
      rho: rhoMeasure,
      sigma2,
    });
    const ks = fine ? o.sizes : coarseSizes;
    const counts = count(fine ? o.realFine : o.realCoarse, ks, attrs);
    const noisy = noisyCounts(counts, sigma2, o.rng);
    observations.push({
      attrs,
      maps: attrs.map((x) => (fine ? undefined : o.coarse[x]!.map)),
      sizes: attrs.map((x) => ks[x]!),
      // Pairs: low-rank shrinkage of the interaction (post-processing, denoise.ts).
      values:
        attrs.length === 2 ? denoiseInteraction(noisy, ks[attrs[0]!]!, ks[attrs[1]!]!, sd) : noisy,
      weight: 1 / sd,
    });
  }
}
