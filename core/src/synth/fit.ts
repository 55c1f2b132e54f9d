// Why: an MST/AIM-style recipe re-derived for exact integer noise in ρ-zCDP:
// (1) measure every 1-way marginal and compress rare values (MST); (2) grow a Bayesian network
// (a tree by default, in-degree ≤ maxParents) one column at a time: the exponential mechanism
// picks (column, parents) by how badly the current model misses that true marginal, minus the
// noise measuring it would add (AIM's size penalty), and the marginal is measured right away so
// later choices see it; each column's conditional is read off its simplex-projected noisy table,
// and the model is kept as a systematic "draft" sample so its marginal over any set is one count
// away; (3) AIM-style extra rounds measure the pairs the model gets most wrong (refine.ts);
// (4) a junction-tree model is fitted to every released marginal at once (graphical-model.ts,
// Private-PGM style) and sampled. Everything after a measurement touches only noisy values.
import { Rational } from '../dp/rational.js';
import { emEpsilonFor, sigma2For } from './budget.js';
import { coarsen } from './compress.js';
import { SynthError } from './errors.js';
import { denoiseInteraction } from './denoise.js';
import { exponentialMechanism, noisyCounts } from './noise.js';
import { projectSimplex } from './project.js';
import {
  aggregate,
  aggregateRows,
  countWithKey,
  backoffPriors,
  independenceL1,
  rakeConditional,
  subsetsUpTo,
} from './conditional.js';
import {
  DEFAULT_COARSE_BINS,
  DEFAULT_SPLIT,
  MAX_CELLS,
  MAX_TREE_CELLS,
  type FitOptions,
  type FittedSynthesizer,
} from './options.js';

export * from './options.js';
import { drawDraft, fitGraph } from './graph-fit.js';
import type { Observation } from './graphical-model.js';
import { measureOneWays } from './one-way.js';
import { measureExtraPairs } from './refine.js';
import { emptySample, parentKeys, sampleColumn, type NetModel } from './sample.js';
import { recode, validateTable, type DiscreteTable } from './table.js';

function share(total: Rational, fraction: number): Rational {
  if (!(fraction > 0 && fraction <= 1)) {
    throw new SynthError(
      'budget.bad-split',
      'A budget split fraction is outside (0, 1]',
      'use positive fractions summing to ≤ 1',
    );
  }
  return total.mul(Rational.of(BigInt(Math.round(fraction * 1e6)), 1_000_000n));
}

/** Fits the network on `table`, charging every measurement to `ledger`. */
export function fitSynthesizer(table: DiscreteTable, options: FitOptions): FittedSynthesizer {
  validateTable(table);
  const { ledger, rng } = options;
  const split = options.split ?? DEFAULT_SPLIT;
  const maxParents = options.maxParents ?? 1;
  if (split.oneWay + split.select + split.marginal + (split.extra ?? 0) > 1 + 1e-12) {
    throw new SynthError(
      'budget.bad-split',
      'The budget split sums to more than 1',
      'fix the split',
    );
  }
  const progress = options.onProgress ?? (() => undefined);
  const d = table.columns.length;
  const n = table.rows;
  const names = table.columns.map((c) => c.name);
  const available = ledger.remaining();
  const rounds = d - 1;

  // (1) 1-way marginals, row-count estimate, compression.
  const { total, compressions, node, noisy, sd } = measureOneWays(table, {
    ledger,
    rng,
    rho: share(available, split.oneWay),
    compress: options.tuning?.compress ?? 3,
    onProgress: progress,
  });
  const sizes = compressions.map((c) => c.compressedSize);
  const real = table.columns.map((c) => c.codes);
  const maps = compressions.map((c) => c.map);
  const empty = compressions.map((c) => c.empty);

  const coarse = node.map((p) => coarsen(p, options.coarseBins ?? DEFAULT_COARSE_BINS));
  const coarseSizes = coarse.map((z) => z.compressedSize);
  const realFine = real.map((codes, a) => recode(codes, maps[a]!));
  const realCoarse = realFine.map((codes, a) => recode(codes, coarse[a]!.map));
  const model: NetModel = {
    order: [],
    parents: names.map(() => []),
    sizes,
    coarse,
    level: names.map(() => 'fine'),
    tables: new Array<Float64Array>(d),
  };
  const observations: Observation[] = noisy.map((values, a) => ({
    attrs: [a],
    maps: [undefined],
    sizes: [sizes[a]!],
    values,
    weight: 1 / sd[a]!,
  }));
  const draftRows = Math.max(1, Math.round(total));
  const draft = emptySample(model, draftRows);
  const inNet = new Uint8Array(d);
  const structure: { column: string; parents: string[]; level: 'fine' | 'coarse' }[] = [];
  if (rounds === 0) {
    model.order.push(0);
    model.tables[0] = node[0]!;
    return { names, compressions, model, structure, estimatedRows: Math.round(total) };
  }
  const rhoSel = share(available, split.select).div(BigInt(rounds));
  const epsSel = emEpsilonFor(rhoSel);
  const rhoEm = epsSel.mul(epsSel).div(8n);
  const rho2 = share(available, split.marginal).div(BigInt(rounds));
  const sigma2 = sigma2For(rho2);
  const s2 = Math.sqrt(sigma2.toNumber());
  // True fine counts [parent coarse key][c fine] per (parents, c), computed once and reused.
  const cache = new Map<string, Float64Array>();
  const realCounts = (
    ps: number[],
    c: number,
    key: () => Int32Array,
    groups: number,
  ): Float64Array => {
    const id = `${ps.join(',')}|${c}`;
    let t = cache.get(id);
    if (!t) {
      t = countWithKey(key(), realFine[c]!, sizes[c]!, groups);
      cache.set(id, t);
    }
    return t;
  };

  // The draft's counts over a parent set, scaled to `total`: columns in the network are never
  // redrawn, so each set is counted once.
  const draftCache = new Map<string, Float64Array>();
  const draftParentCounts = (ps: number[], groups: number): Float64Array => {
    const id = ps.join(',');
    let t = draftCache.get(id);
    if (!t) {
      const [draftKey] = parentKeys(draft.coarse, coarseSizes, ps, draftRows);
      t = new Float64Array(groups);
      for (let i = 0; i < draftRows; i++) t[draftKey[i]!]!++;
      const scale = total / draftRows;
      for (let g = 0; g < groups; g++) t[g]! *= scale;
      draftCache.set(id, t);
    }
    return t;
  };

  // (2) Grow the network.
  for (let round = 0; round < rounds; round++) {
    const candidates: { c: number; parents: number[]; level: 'fine' | 'coarse' }[] = [];
    const members = [...Array(d).keys()].filter((a) => inNet[a]);
    const parentSets =
      round === 0 ? [...Array(d).keys()].map((p) => [p]) : subsetsUpTo(members, maxParents);
    const scores: number[] = [];
    for (const ps of parentSets) {
      let groups = 1;
      for (const p of ps) groups *= coarseSizes[p]!;
      // Model's distribution over the parents' coarse values: the draft (the 1-way for a root).
      let keyMemo: Int32Array | undefined;
      const realKey = (): Int32Array => (keyMemo ??= parentKeys(realCoarse, coarseSizes, ps, n)[0]);
      let modelP: Float64Array;
      if (round === 0) modelP = aggregate(node[ps[0]!]!, coarse[ps[0]!]!).map((x) => x * total);
      else modelP = draftParentCounts(ps, groups);
      for (let c = 0; c < d; c++) {
        if (inNet[c] || ps.includes(c)) continue;
        const fine = realCounts(ps, c, realKey, groups);
        for (const level of ['fine', 'coarse'] as const) {
          if (level === 'coarse' && coarseSizes[c] === sizes[c]) continue;
          const k = level === 'fine' ? sizes[c]! : coarseSizes[c]!;
          const cells = groups * k;
          if (cells > MAX_CELLS) continue;
          const counts = level === 'fine' ? fine : aggregateRows(fine, groups, coarse[c]!);
          const pc = level === 'fine' ? node[c]! : aggregate(node[c]!, coarse[c]!);
          const l1 = independenceL1(counts, modelP, pc, groups, k);
          candidates.push({ c, parents: ps, level });
          scores.push(
            l1 - Math.round((options.tuning?.penalty ?? 1) * Math.sqrt(2 / Math.PI) * s2 * cells),
          );
        }
      }
    }
    if (candidates.length === 0) {
      throw new SynthError(
        'select.no-candidate',
        'Every candidate marginal exceeds the cell cap',
        'declare coarser domains',
      );
    }
    ledger.charge({ kind: 'select', attrs: [], rho: rhoEm, epsilon: epsSel });
    const { c, parents, level } = candidates[exponentialMechanism(scores, epsSel, rng)]!;
    progress('select', (round + 0.5) / rounds);

    // Measure the chosen marginal [parent coarse key][c at its level].
    const [realKey, groups] = parentKeys(realCoarse, coarseSizes, parents, n);
    const fine = realCounts(parents, c, () => realKey, groups);
    const counts = level === 'fine' ? fine : aggregateRows(fine, groups, coarse[c]!);
    const k = level === 'fine' ? sizes[c]! : coarseSizes[c]!;
    ledger.charge({
      kind: 'marginal',
      attrs: [...parents.map((p) => names[p]!), names[c]!],
      rho: rho2,
      sigma2,
    });
    const noisy = noisyCounts(counts, sigma2, rng);
    // One parent: a 2-D table whose interaction gets low-rank shrinkage (post-processing).
    const measured = parents.length === 1 ? denoiseInteraction(noisy, groups, k, s2) : noisy;
    observations.push({
      attrs: [...parents, c],
      maps: [...parents.map((p) => coarse[p]!.map), level === 'fine' ? undefined : coarse[c]!.map],
      sizes: [...parents.map((p) => coarseSizes[p]!), k],
      values: measured,
      weight: 1 / s2,
    });
    const joint = projectSimplex(measured, total);

    if (round === 0) {
      const root = parents[0]!;
      model.order.push(root);
      model.tables[root] = node[root]!;
      inNet[root] = 1;
      sampleColumn(model, root, draft, draftRows, rng);
      structure.push({ column: names[root]!, parents: [], level: 'fine' });
    }
    // Conditional rows shrunk with a pseudo-count of one noise std towards a back-off: for two or
    // more parents, the mean of P(c | one parent) read from the same table (summing out the
    // others, so far less noisy); for one parent, the column's 1-way estimate.
    const pc = level === 'fine' ? node[c]! : aggregate(node[c]!, coarse[c]!);
    const prior = backoffPriors(
      joint,
      parents.map((p) => coarseSizes[p]!),
      k,
    );
    const cond = new Float64Array(groups * k);
    const shrink = (options.tuning?.shrink ?? 1) * s2;
    for (let g = 0; g < groups; g++) {
      let s = 0;
      for (let x = 0; x < k; x++) s += joint[g * k + x]!;
      for (let x = 0; x < k; x++) {
        const base = prior ? prior[g * k + x]! : pc[x]!;
        cond[g * k + x] = (joint[g * k + x]! + shrink * base) / (s + shrink);
      }
    }
    // Rake the rows so the column's implied marginal (under the draft's parent mix) matches its
    // 1-way estimate: the chain of noisy conditionals would otherwise drift away from it.
    const [draftKey] = parentKeys(draft.coarse, coarseSizes, parents, draftRows);
    const mix = new Float64Array(groups);
    for (const g of draftKey) mix[g]!++;
    rakeConditional(cond, mix, pc, k, 10);
    model.tables[c] = cond;
    model.parents[c] = parents;
    model.level[c] = level;
    model.order.push(c);
    inNet[c] = 1;
    sampleColumn(model, c, draft, draftRows, rng);
    structure.push({ column: names[c]!, parents: parents.map((p) => names[p]!), level });
    progress('select', (round + 1) / rounds);
  }
  const extraRounds = options.tuning?.extraRounds ?? 20;
  const maxTreeCells = options.tuning?.maxTreeCells ?? MAX_TREE_CELLS;
  if (split.extra && extraRounds > 0) {
    measureExtraPairs(
      {
        ledger,
        rng,
        names,
        sizes,
        coarse,
        realCoarse,
        realFine,
        draft,
        draftRows,
        total,
        rho: share(available, split.extra),
        rounds: extraRounds,
        penalty: options.tuning?.penalty ?? 1,
        maxTreeCells,
        maxTripleCells: options.tuning?.maxTripleCells ?? 0,
        refitEvery: options.tuning?.refitEvery ?? 5,
        redraft: (obs) => {
          const steps = fitGraph(sizes, obs, total, {
            iterations: options.tuning?.iterations ?? 50,
            maxTreeCells,
            empty,
          });
          return steps ? drawDraft(steps, sizes, coarse, draftRows, rng) : draft;
        },
      },
      observations,
    );
  }
  const graph = fitGraph(sizes, observations, total, {
    iterations: options.tuning?.iterations ?? 50,
    polish: options.tuning?.polish ?? 100,
    maxTreeCells,
    empty,
  });
  progress('estimate', 1);
  return {
    names,
    compressions,
    model,
    structure,
    estimatedRows: Math.round(total),
    ...(graph ? { graph } : {}),
  };
}
