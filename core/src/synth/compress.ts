// Why: a marginal over a 100-value column measured with σ ≈ 50 drowns in noise, so — as MST
// does — values whose noisy 1-way count is below a threshold (3σ) are merged into one cell
// before any 2-way measurement. The merge only looks at already-noisy counts (post-processing),
// and the merged cell is expanded back to original codes in proportion to those noisy counts less
// one common noise floor (their projection onto the simplex of the cell's noisy mass).
import { SynthError } from './errors.js';
import { projectSimplex } from './project.js';

/** How one column's original codes map onto a smaller, measurable domain. */
export interface Compression {
  /** Original domain size. */
  size: number;
  /** Compressed domain size. */
  compressedSize: number;
  /** Original code → compressed code. */
  map: Int32Array;
  /** Original codes of each compressed cell. */
  members: Int32Array[];
  /** Expansion weights of each compressed cell (non-negative, same order as members). */
  weights: Float64Array[];
  /**
   * 1 for a cell judged empty: merged values whose noisy mass together stays below the threshold
   * (e.g. the "(other)" bucket of public categories). Samplers never generate these cells.
   */
  empty: Uint8Array;
}

/**
 * Keeps every code whose noisy count is ≥ threshold as its own cell and merges the rest into
 * one cell (when any). With no cell above the threshold everything becomes one cell. A
 * `catchAll` code is never merged: it is its own cell, judged empty (never generated) when its
 * noisy count is below the threshold — so "(other)" does not appear from noise alone.
 */
export function compressDomain(
  noisy: Float64Array,
  threshold: number,
  catchAll?: number,
): Compression {
  const size = noisy.length;
  if (size === 0) {
    throw new SynthError(
      'domain.empty',
      'A column has an empty domain',
      'declare at least one value',
    );
  }
  const map = new Int32Array(size);
  const kept: number[] = [];
  const rare: number[] = [];
  const isolated = catchAll !== undefined && catchAll >= 0 && catchAll < size;
  for (let i = 0; i < size; i++) {
    if (isolated && i === catchAll) continue;
    (noisy[i]! >= threshold ? kept : rare).push(i);
  }
  if (isolated) kept.push(catchAll);
  const members: Int32Array[] = kept.map((i) => Int32Array.of(i));
  if (rare.length > 0) members.push(Int32Array.from(rare));
  members.forEach((m, cell) => m.forEach((code) => (map[code] = cell)));
  const weights = members.map((m) => {
    // The merged cell's noisy mass, spread by projecting its members' noisy counts onto the simplex
    // of that mass: the noise floor of empty values is wiped out instead of kept as spurious mass.
    const raw = Float64Array.from(m, (code) => noisy[code]!);
    let mass = 0;
    for (const x of raw) mass += x;
    const w = m.length > 1 && mass > 0 ? projectSimplex(raw, mass) : raw.map((x) => Math.max(0, x));
    let sum = 0;
    for (const x of w) sum += x;
    if (sum <= 0) w.fill(1);
    return w;
  });
  const empty = new Uint8Array(members.length);
  if (isolated && members.length > 1 && noisy[catchAll]! < threshold)
    empty[members.findIndex((m) => m.length === 1 && m[0] === catchAll)] = 1;
  return { size, compressedSize: members.length, map, members, weights, empty };
}

/** The identity compression of a domain of `size` values (public, fully measured domains). */
export function identityCompression(size: number): Compression {
  const members = Array.from({ length: size }, (_, i) => Int32Array.of(i));
  return {
    size,
    compressedSize: size,
    map: Int32Array.from({ length: size }, (_, i) => i),
    members,
    weights: members.map(() => Float64Array.of(1)),
    empty: new Uint8Array(size),
  };
}

/** Sums an original-domain vector into compressed cells. */
export function compressVector(c: Compression, v: Float64Array): Float64Array {
  const out = new Float64Array(c.compressedSize);
  for (let i = 0; i < c.size; i++) out[c.map[i]!]! += v[i]!;
  return out;
}

/**
 * Groups consecutive cells of a (noisy, projected) distribution into at most `maxBins` bins of
 * roughly equal mass — the coarse level at which a column's dependence on others is measured.
 * Each bin aims at an equal share of the mass not yet binned, and a cell heavier than that share
 * gets a bin of its own, so one spike (40 hours a week) does not leave every later bin a single
 * rare cell and the last bin everything else. Domains already small enough stay as they are.
 * Expansion weights are the cell probabilities.
 */
export function coarsen(probs: Float64Array, maxBins: number): Compression {
  const size = probs.length;
  const map = new Int32Array(size);
  if (size <= maxBins) {
    for (let i = 0; i < size; i++) map[i] = i;
  } else {
    let unbinned = 0;
    for (const p of probs) unbinned += Math.max(0, p);
    let binsLeft = maxBins;
    let bin = 0;
    let binMass = 0;
    const close = (): void => {
      unbinned -= binMass;
      binsLeft--;
      bin++;
      binMass = 0;
    };
    for (let i = 0; i < size; i++) {
      const p = Math.max(0, probs[i]!);
      const share = unbinned / binsLeft;
      if (binMass > 0 && p >= share && binsLeft > 1) close();
      map[i] = bin;
      binMass += p;
      if (binsLeft > 1 && i < size - 1 && binMass >= unbinned / binsLeft - 1e-12) close();
    }
  }
  const count = size === 0 ? 0 : map[size - 1]! + 1;
  const buckets: number[][] = Array.from({ length: count }, () => []);
  for (let i = 0; i < size; i++) buckets[map[i]!]!.push(i);
  const members = buckets.map((b) => Int32Array.from(b));
  const weights = members.map((m) => {
    const w = Float64Array.from(m, (i) => Math.max(0, probs[i]!));
    if (!w.some((x) => x > 0)) w.fill(1);
    return w;
  });
  return { size, compressedSize: count, map, members, weights, empty: new Uint8Array(count) };
}
