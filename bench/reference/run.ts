/**
 * `npm run bench:reference`: Privet's synthesizer next to MST and AIM (pgm_reference.py, on the
 * mbi library from PyPI) on UCI Adult, same ε/δ (the same ρ), same seeds count, one run; every
 * table is scored by the same `meanTvd`. Opt-in (it installs JAX into `.venv-reference/` and takes
 * about 5 minutes per seed, AIM far longer on some); `PRIVET_REFERENCE_SEEDS` sets the number of
 * seeds (default 3), `PRIVET_REFERENCE_TIMEOUT_MIN` the time limit of each reference run (default 15).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { rhoForEpsilonDelta } from '@privet/core/synth/budget';
import { seededRandom } from '@privet/core/synth/seeded-random';
import { synthesize } from '@privet/core/synth/synthesize';
import type { DiscreteTable } from '@privet/core/synth/table';
import { meanTvd } from '@privet/core/synth/tvd';
import { printResult, type BenchResult } from '../result.js';
import { ADULT_DIR, adultDomain, loadAdult, loadDiscreteCsv } from '../synth.js';

const here = fileURLToPath(new URL('.', import.meta.url));
const root = join(here, '..', '..');
const venv = join(root, '.venv-reference');
const python = join(venv, 'bin', 'python');
const MBI = 'mbi==2.0.0';
const EPSILON = 1;
const DELTA = 1e-9;
const MECHANISMS = ['mst', 'aim'] as const;

/** Runs a command, streaming its output; throws with the command line when it fails. */
function run(command: string, args: string[], timeoutMs?: number): string {
  const r = spawnSync(command, args, {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    ...(timeoutMs ? { timeout: timeoutMs, killSignal: 'SIGKILL' as const } : {}),
  });
  if (r.error && (r.error as NodeJS.ErrnoException).code === 'ETIMEDOUT')
    throw new TimeoutError(`${command} ${args[1] ?? ''} ran past ${timeoutMs! / 60_000} minutes`);
  if (r.status !== 0)
    throw new Error(
      `${command} ${args.join(' ')} exited with ${r.status ?? r.signal}: see the output above`,
    );
  return r.stdout;
}

/** A reference run stopped at its time limit (AIM can take hours on some seeds). */
class TimeoutError extends Error {}

/** Creates `.venv-reference/` with mbi (and JAX) unless it already has it. */
function ensureVenv(): void {
  if (existsSync(python) && spawnSync(python, ['-c', 'import mbi']).status === 0) return;
  console.error(`installing ${MBI} (with JAX) into ${venv}…`);
  run('python3', ['-m', 'venv', venv]);
  run(python, ['-m', 'pip', 'install', '--quiet', MBI]);
}

/** Mean 1/2/3-way TVD of `synthetic` against `real`. */
function score(real: DiscreteTable, synthetic: DiscreteTable): [number, number, number] {
  return [meanTvd(real, synthetic, 1), meanTvd(real, synthetic, 2), meanTvd(real, synthetic, 3)];
}

const seeds = Number(process.env.PRIVET_REFERENCE_SEEDS ?? 3);
if (!Number.isInteger(seeds) || seeds < 1)
  throw new Error('PRIVET_REFERENCE_SEEDS must be a whole number ≥ 1');
const timeoutMinutes = Number(process.env.PRIVET_REFERENCE_TIMEOUT_MIN ?? 15);
if (!(timeoutMinutes > 0))
  throw new Error('PRIVET_REFERENCE_TIMEOUT_MIN must be a positive number');
const timedOut: string[] = [];
ensureVenv();
const adult = loadAdult();
const domain = adultDomain();
const rho = rhoForEpsilonDelta(EPSILON, DELTA).toNumber();
const work = mkdtempSync(join(tmpdir(), 'privet-reference-'));
/** One table's scores: mean 1/2/3-way TVD and the seconds it took to make. */
type Scored = { tvd: [number, number, number]; seconds: number };
/** Per seed, each finished table's scores (ratios compare the seeds both sides finished). */
const bySeed = new Map<number, Map<string, Scored>>();
try {
  for (let seed = 1; seed <= seeds; seed++) {
    const t0 = performance.now();
    const ours = synthesize(adult, {
      epsilon: EPSILON,
      delta: DELTA,
      rng: await seededRandom(`reference-${seed}`),
      rows: adult.rows,
    });
    const scored = new Map<string, Scored>([
      ['ours', { tvd: score(adult, ours.table), seconds: (performance.now() - t0) / 1000 }],
    ]);
    bySeed.set(seed, scored);
    for (const mechanism of MECHANISMS) {
      console.error(`seed ${seed}: ${mechanism}…`);
      const out = join(work, `${mechanism}-${seed}.csv`);
      let stdout: string;
      try {
        stdout = run(
          python,
          [
            join(here, 'pgm_reference.py'),
            mechanism,
            join(ADULT_DIR, 'adult.csv'),
            join(ADULT_DIR, 'adult-domain.json'),
            String(rho),
            String(seed),
            out,
          ],
          timeoutMinutes * 60_000,
        );
      } catch (error) {
        if (!(error instanceof TimeoutError)) throw error;
        console.error(error.message);
        timedOut.push(`${mechanism} seed ${seed}`);
        continue;
      }
      const facts = JSON.parse(stdout.trim().split('\n').pop()!) as { seconds: number };
      scored.set(mechanism, {
        tvd: score(adult, loadDiscreteCsv(out, domain)),
        seconds: facts.seconds,
      });
    }
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
const meanOf = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
/** The scores of `table` on the seeds where `alongside` finished too (every seed by default). */
const scoresOf = (table: string, alongside = table): Scored[] =>
  [...bySeed.values()].filter((m) => m.has(table) && m.has(alongside)).map((m) => m.get(table)!);
const metrics: Record<string, number> = { rho };
const ratios: Record<string, number> = {};
for (const table of ['ours', ...MECHANISMS]) {
  const all = scoresOf(table);
  if (all.length === 0) continue;
  metrics[`${table}_s`] = meanOf(all.map((r) => r.seconds));
  for (const k of [0, 1, 2]) metrics[`tvd${k + 1}_${table}`] = meanOf(all.map((r) => r.tvd[k]!));
}
for (const mechanism of MECHANISMS) {
  const ours = scoresOf('ours', mechanism);
  const theirs = scoresOf(mechanism);
  if (theirs.length === 0) continue;
  for (const k of [0, 1, 2])
    ratios[`tvd${k + 1}_ours_over_${mechanism}`] =
      meanOf(ours.map((r) => r.tvd[k]!)) / meanOf(theirs.map((r) => r.tvd[k]!));
}
const result: BenchResult = {
  name: `synth reference: Privet vs MST and AIM (${MBI}) on Adult, ε=${EPSILON}, δ=${DELTA}, ${seeds} seeds`,
  metrics,
  ratios,
  notes: [
    'ratios: means over the seeds both sides finished; metrics: means over every finished seed',
    'the same ρ for all three; every synthetic table has as many rows as Adult and is scored by the same meanTvd',
    'MST: thirds of ρ for 1-ways, tree selection, tree pairs; AIM: every 2-way marginal as workload, α = 0.9, 80 MB model cap, 200 warm-started mirror-descent steps a round, 1000 at the end',
    'seconds: wall-clock; Privet runs on one thread, JAX on every core',
    `each reference run is stopped after ${timeoutMinutes} minutes (PRIVET_REFERENCE_TIMEOUT_MIN) and left out of its means`,
    ...(timedOut.length > 0 ? [`stopped at the time limit: ${timedOut.join(', ')}`] : []),
  ],
};
printResult(result);
mkdirSync(join(here, '..', 'results'), { recursive: true });
writeFileSync(
  join(here, '..', 'results', 'reference.json'),
  JSON.stringify({ at: new Date().toISOString(), result }, null, 2),
);
