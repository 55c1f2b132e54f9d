// Why: `privet synth` as one awaitable function the CLI (and tests) call directly: read the
// discrete CSV and domain, synthesize within (ε, δ), write OUT.csv and OUT.manifest.json. The
// manifest lists every measurement with its exact ρ and its share of the budget, so nothing —
// including preprocessing — spends budget silently. Writes go to a temp file and are renamed.
import { createHash } from 'node:crypto';
import { access, constants, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { rhoForEpsilonDelta, zcdpDelta } from '@privet/core/synth/budget';
import { SynthError } from '@privet/core/synth/errors';
import type { ProgressCallback } from '@privet/core/synth/fit';
import { randomFor, seedHash } from '@privet/core/synth/seeded-random';
import { synthesize } from '@privet/core/synth/synthesize';
import { formatDiscreteCsv, parseDiscreteCsv, parseDomain } from './discrete-csv.js';

/** Arguments of `privet synth`. */
export interface SynthCommandOptions {
  input: string;
  domain: string;
  epsilon: number;
  delta: number;
  /** Deterministic output for a given seed; omit for the system CSPRNG. */
  seed?: string;
  /** Rows to generate; default the DP estimate of the input's row count. */
  rows?: number;
  out: string;
  onProgress?: ProgressCallback;
  /** Hears cautions about the run (e.g. what a `seed` means for the privacy guarantee). */
  onWarning?: (message: string) => void;
}

/** The manifest written next to the synthetic CSV. */
export interface SynthManifest {
  kind: 'privet-synthetic';
  mechanism: string;
  epsilon: number;
  delta: number;
  /** Exact ρ (zCDP) available and spent, as fractions; ε the spent ρ amounts to at δ. */
  rho: { total: string; spent: string; epsilonAtDelta: number };
  measurements: {
    kind: string;
    attrs: string[];
    rho: string;
    share: number;
    sigma2?: string;
    epsilon?: string;
  }[];
  structure: { column: string; parents: string[]; level: 'fine' | 'coarse' }[];
  seedHash: string | null;
  /**
   * The input's file name and the domain file's SHA-256. No hash of the input itself: the manifest
   * travels with the synthetic rows, and a plain hash of the raw table would let anyone who knows
   * all rows but one confirm guesses of that row (not differentially private).
   */
  source: { file: string; domainSha256: string };
  rows: number;
  createdAt: string;
  seconds: number;
}

/** Why a `--seed` run is private only while the seed is secret (printed when one is given). */
export const SEED_WARNING =
  '--seed makes the noise reproducible: the output is differentially private only while the ' +
  'seed stays secret (anyone with the seed and the other rows can replay the noise and single ' +
  'out a row; the manifest keeps only its SHA-256, from which a short or guessable seed can be ' +
  'found). Use a long random seed kept like a key, or omit --seed to draw from the system CSPRNG.';

/** Path of the manifest for an output CSV (`x.csv` → `x.manifest.json`). */
export function manifestPathFor(out: string): string {
  const base = basename(out).replace(/\.csv$/i, '');
  return join(dirname(out), `${base}.manifest.json`);
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** Smallest ε (to 1e-9, rounded up) at which the spent ρ satisfies (ε, δ)-DP, for display. */
function spentEpsilon(rho: number, delta: number): number {
  let lo = 0;
  let hi = 1;
  while (zcdpDelta(rho, hi) > delta && hi < 1e6) hi *= 2;
  for (let i = 0; i < 100; i++) {
    const mid = (lo + hi) / 2;
    if (zcdpDelta(rho, mid) <= delta) hi = mid;
    else lo = mid;
  }
  return Math.ceil(hi * 1e9) / 1e9;
}

/** What an errno means for a file the user named, in words. */
function fileProblem(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'does not exist';
  if (code === 'EACCES' || code === 'EPERM') return 'is not readable (permission denied)';
  if (code === 'EISDIR') return 'is a folder, not a file';
  return `could not be read (${code ?? String(error)})`;
}

/** Reads the file an option names, or refuses with the option, the path and the fix. */
async function readNamedFile(path: string, option: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    throw new SynthError(
      'cli.unreadable',
      `${option} ${path} ${fileProblem(error)}`,
      `check the ${option} path`,
    );
  }
}

/** Refuses before any work when the output's folder is missing or not writable. */
async function checkOutputFolder(out: string): Promise<void> {
  const folder = dirname(out);
  const problem = await stat(folder).then(
    (st) =>
      st.isDirectory()
        ? access(folder, constants.W_OK).then(
            () => undefined,
            () => 'is not writable',
          )
        : 'is not a folder',
    () => 'does not exist',
  );
  if (problem) {
    throw new SynthError(
      'cli.bad-out',
      `The folder of --out ${out} (${folder}) ${problem}`,
      'create the folder, or pass an --out path in a writable folder',
    );
  }
}

/** Runs `privet synth`; returns the manifest it wrote. */
export async function runSynthCommand(o: SynthCommandOptions): Promise<SynthManifest> {
  if (o.rows !== undefined && !(Number.isSafeInteger(o.rows) && o.rows >= 0)) {
    throw new SynthError(
      'cli.bad-rows',
      '--rows must be a non-negative whole number',
      'pass e.g. --rows 48842',
    );
  }
  const started = performance.now();
  const [csvText, domainText] = await Promise.all([
    readNamedFile(o.input, '--input'),
    readNamedFile(o.domain, '--domain'),
    checkOutputFolder(o.out),
  ]);
  const table = parseDiscreteCsv(csvText, parseDomain(domainText, o.domain), o.input);
  const rho = rhoForEpsilonDelta(o.epsilon, o.delta);
  if (o.seed !== undefined) o.onWarning?.(SEED_WARNING);
  const rng = await randomFor(o.seed);
  const result = synthesize(table, {
    epsilon: o.epsilon,
    delta: o.delta,
    rng,
    ...(o.rows !== undefined ? { rows: o.rows } : {}),
    ...(o.onProgress ? { onProgress: o.onProgress } : {}),
  });
  const total = result.rhoTotal;
  const manifest: SynthManifest = {
    kind: 'privet-synthetic',
    mechanism:
      'privet-aim-jt: DP 1-way + exponential-mechanism tree and pair selection + discrete Gaussian marginals + junction-tree fit (ρ-zCDP)',
    epsilon: o.epsilon,
    delta: o.delta,
    rho: {
      total: total.toString(),
      spent: result.rhoSpent.toString(),
      epsilonAtDelta: spentEpsilon(result.rhoSpent.toNumber(), o.delta),
    },
    measurements: result.measurements.map((m) => ({
      kind: m.kind,
      attrs: m.attrs,
      rho: m.rho.toString(),
      share: m.rho.div(total).toNumber(),
      ...(m.sigma2 ? { sigma2: m.sigma2.toString() } : {}),
      ...(m.epsilon ? { epsilon: m.epsilon.toString() } : {}),
    })),
    structure: result.fitted.structure,
    seedHash: o.seed === undefined ? null : await seedHash(o.seed),
    source: { file: basename(o.input), domainSha256: sha256(domainText) },
    rows: result.table.rows,
    createdAt: new Date().toISOString(),
    seconds: 0,
  };
  if (zcdpDelta(result.rhoSpent.toNumber(), o.epsilon) > o.delta || result.rhoSpent.gt(rho)) {
    throw new SynthError(
      'budget.overspend',
      'The run spent more than its declared budget',
      'report this bug',
    );
  }
  const manifestPath = manifestPathFor(o.out);
  manifest.seconds = (performance.now() - started) / 1000;
  await writeFile(`${o.out}.tmp`, formatDiscreteCsv(result.table));
  await writeFile(`${manifestPath}.tmp`, JSON.stringify(manifest, null, 2) + '\n');
  await rename(`${o.out}.tmp`, o.out);
  await rename(`${manifestPath}.tmp`, manifestPath);
  return manifest;
}
