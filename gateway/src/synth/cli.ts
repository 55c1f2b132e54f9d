// Why: `privet synth` as one awaitable function the CLI (and tests) call directly: read the
// discrete CSV and domain, synthesize within (ε, δ), write OUT.csv and OUT.manifest.json. The
// manifest lists every measurement with its exact ρ and its share of the budget, so nothing —
// including preprocessing — spends budget silently. Before any work the outputs are checked not
// to be the input or domain file (nor a folder); the CSV and manifest are written to temp files
// and renamed manifest first, CSV last, rolling the manifest back when the CSV cannot be renamed,
// so a new CSV never sits beside a stale or missing manifest and a failure leaves no temp file.
import { createHash, randomBytes } from 'node:crypto';
import type { Stats } from 'node:fs';
import { constants, copyFile, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { rhoForEpsilonDelta, zcdpDelta } from '@privet/core/synth/budget';
import { SynthError } from '@privet/core/synth/errors';
import type { ProgressCallback } from '@privet/core/synth/fit';
import { randomFor, seedHash } from '@privet/core/synth/seeded-random';
import { synthesize } from '@privet/core/synth/synthesize';
import { outputFolderProblem } from '../out-folder.js';
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
  /** When the rows were made. No run time is recorded: it depends on the data, unaccounted for. */
  createdAt: string;
}

/** Why a `--seed` run is private only while the seed is secret (printed when one is given). */
export const SEED_WARNING =
  '--seed makes the noise reproducible: the output is differentially private only while the ' +
  'seed stays secret (anyone with the seed and the other rows can replay the noise and single ' +
  'out a row; the manifest keeps only its SHA-256, from which a short or guessable seed can be ' +
  'found). Use a long random seed kept like a key, or omit --seed to draw from the system CSPRNG.';

/**
 * The shortest `--seed` taken. A seed is the whole noise key of a run, and the manifest names its
 * SHA-256: a short one is found by trying them. 16 characters is no proof of a secret (a phrase can
 * be guessed), but it turns away the small numbers and words a reproducible run is tempted to use.
 */
export const MIN_SEED_LENGTH = 16;

/** Refuses a `--seed` too short to stand for a secret key (see MIN_SEED_LENGTH). */
function checkSeed(seed: string | undefined): void {
  if (seed === undefined || [...seed].length >= MIN_SEED_LENGTH) return;
  throw new SynthError(
    'cli.short-seed',
    `--seed has ${[...seed].length} characters; a seed is the whole noise key of the run (anyone ` +
      'who finds it and knows the other rows can replay the noise and single out a row), and one ' +
      `shorter than ${MIN_SEED_LENGTH} characters is found by trying seeds against the SHA-256 in ` +
      'the manifest',
    `pass a long random seed and keep it like a key, e.g. --seed "$(openssl rand -hex 16)", or ` +
      'omit --seed to draw the noise from the system CSPRNG',
  );
}

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
  const problem = await outputFolderProblem(out);
  if (problem) {
    throw new SynthError(
      'cli.bad-out',
      `The folder of --out ${out} (${folder}) ${problem}`,
      'create the folder, or pass an --out path in a writable folder',
    );
  }
}

/** The file's stats, or undefined when nothing is there (or it cannot be inspected). */
async function statOrNothing(path: string): Promise<Stats | undefined> {
  return stat(path).catch(() => undefined);
}

/**
 * Refuses before any work when the output CSV or its manifest is a folder, or is the --input or
 * --domain file under any spelling (relative path, symlink, hard link: same device and inode).
 */
async function checkOutputTargets(o: SynthCommandOptions): Promise<void> {
  const [input, domain] = await Promise.all([statOrNothing(o.input), statOrNothing(o.domain)]);
  const manifestPath = manifestPathFor(o.out);
  const targets = [
    { path: o.out, what: `--out ${o.out}` },
    { path: manifestPath, what: `the manifest path ${manifestPath} (derived from --out)` },
  ];
  for (const target of targets) {
    const st = await statOrNothing(target.path);
    if (!st) continue;
    if (st.isDirectory()) {
      throw new SynthError(
        'cli.out-is-folder',
        `${target.what} is a folder, not a file`,
        'pass an --out file path such as synth-out.csv (its manifest goes next to it)',
      );
    }
    for (const [option, file, other] of [
      ['--input', o.input, input],
      ['--domain', o.domain, domain],
    ] as const) {
      if (other && other.dev === st.dev && other.ino === st.ino) {
        throw new SynthError(
          'cli.out-is-input',
          `${target.what} is the ${option} file ${file}: writing it would overwrite that file`,
          `pass an --out path that differs from ${option}, e.g. a new file such as synth-out.csv`,
        );
      }
    }
  }
}

/** What an errno means for an output being written, in words. */
function writeProblem(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'EISDIR') return 'a folder is in the way';
  if (code === 'ENOSPC') return 'the disk is full';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EROFS') return 'the file system is read-only';
  return code ?? (error instanceof Error ? error.message : String(error));
}

/**
 * Writes the CSV and the manifest to temp files, then renames the manifest into place and the CSV
 * last. If the CSV rename fails the previous manifest is restored (or the new one removed), so a
 * reader never sees a new CSV with a stale or missing manifest; temp files never outlive a failure.
 */
async function commitOutputs(
  out: string,
  csv: string,
  manifestPath: string,
  manifest: string,
): Promise<void> {
  const tag = `${process.pid}-${randomBytes(4).toString('hex')}`;
  const csvTmp = `${out}.${tag}.tmp`;
  const manifestTmp = `${manifestPath}.${tag}.tmp`;
  const oldManifest = `${manifestPath}.${tag}.old`;
  /** Whether `oldManifest` holds the only copy of the previous manifest (never removed then). */
  let onlyCopy = false;
  try {
    await writeFile(csvTmp, csv, { flag: 'wx' });
    await writeFile(manifestTmp, manifest, { flag: 'wx' });
    const hadOld = await copyFile(manifestPath, oldManifest, constants.COPYFILE_EXCL).then(
      () => true,
      (error: NodeJS.ErrnoException) => {
        if (error.code === 'ENOENT') return false;
        throw error;
      },
    );
    await rename(manifestTmp, manifestPath);
    try {
      await rename(csvTmp, out);
    } catch (error) {
      onlyCopy = hadOld;
      await (hadOld ? rename(oldManifest, manifestPath) : rm(manifestPath, { force: true }));
      onlyCopy = false;
      throw error;
    }
  } catch (error) {
    throw new SynthError(
      'cli.write-failed',
      `Could not write --out ${out} and its manifest ${manifestPath} (${writeProblem(error)}); ` +
        (onlyCopy
          ? `the previous manifest could not be put back and is kept at ${oldManifest}`
          : 'neither file was replaced'),
      'pass an --out file path in a writable folder with free space, then run again',
    );
  } finally {
    const leftovers = [csvTmp, manifestTmp, ...(onlyCopy ? [] : [oldManifest])];
    await Promise.all(leftovers.map((p) => rm(p, { force: true }).catch(() => undefined)));
  }
}

/** Runs `privet synth`; returns the manifest it wrote. */
export async function runSynthCommand(o: SynthCommandOptions): Promise<SynthManifest> {
  checkSeed(o.seed);
  if (o.rows !== undefined && !(Number.isSafeInteger(o.rows) && o.rows >= 0)) {
    throw new SynthError(
      'cli.bad-rows',
      '--rows must be a non-negative whole number',
      'pass e.g. --rows 48842',
    );
  }
  const [csvText, domainText] = await Promise.all([
    readNamedFile(o.input, '--input'),
    readNamedFile(o.domain, '--domain'),
    checkOutputFolder(o.out),
    checkOutputTargets(o),
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
  };
  if (zcdpDelta(result.rhoSpent.toNumber(), o.epsilon) > o.delta || result.rhoSpent.gt(rho)) {
    throw new SynthError(
      'budget.overspend',
      'The run spent more than its declared budget',
      'report this bug',
    );
  }
  const manifestPath = manifestPathFor(o.out);
  await commitOutputs(
    o.out,
    formatDiscreteCsv(result.table),
    manifestPath,
    JSON.stringify(manifest, null, 2) + '\n',
  );
  return manifest;
}
