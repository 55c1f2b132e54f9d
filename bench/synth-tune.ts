/**
 * Tuning harness for the synthesizer (not a benchmark module: no `run` export). Usage:
 * `PRIVET_TUNE='{"tuning":{...},"split":{...}}' node --conditions=privet-source --import tsx bench/synth-tune.ts [full]`
 * prints mean 2/3-way TVD and median fit+sample CPU seconds over the bench seeds; `full` runs the
 * whole benchmark instead. `PRIVET_TUNE_EPSILON` (default 1) changes ε, to tell structure from noise.
 * Does nothing when imported (bench/run.ts imports every module here).
 */
import { seededRandom } from '@privet/core/synth/seeded-random';
import { synthesize, type SynthesizeOptions } from '@privet/core/synth/synthesize';
import { meanTvd } from '@privet/core/synth/tvd';
import { fileURLToPath } from 'node:url';
import { loadAdult, run } from './synth.js';

const isMain = process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1];
const extra = JSON.parse(process.env.PRIVET_TUNE ?? '{}') as Partial<SynthesizeOptions>;
if (!isMain) {
  // Imported by the benchmark runner: nothing to do.
} else if (process.argv[2] === 'full') {
  console.log(JSON.stringify(await run(), null, 1));
} else {
  const adult = loadAdult();
  const out: number[][] = [];
  for (const seed of ['b1', 'b2', 'b3', 'b4', 'b5']) {
    const c0 = process.cpuUsage();
    const res = synthesize(adult, {
      epsilon: Number(process.env.PRIVET_TUNE_EPSILON ?? 1),
      delta: 1e-9,
      rng: await seededRandom(seed),
      rows: adult.rows,
      ...extra,
    });
    const d = process.cpuUsage(c0);
    out.push([
      meanTvd(adult, res.table, 2),
      meanTvd(adult, res.table, 3),
      (d.user + d.system) / 1e6,
    ]);
  }
  const mean = (k: number): number => out.reduce((s, r) => s + r[k]!, 0) / out.length;
  const cpu = out.map((r) => r[2]!).sort((a, b) => a - b)[2]!;
  console.log(
    `${process.env.PRIVET_TUNE ?? '{}'} tvd2=${mean(0).toFixed(4)} tvd3=${mean(1).toFixed(4)} cpu=${cpu.toFixed(2)}`,
    `per seed tvd2 ${out.map((r) => r[0]!.toFixed(4)).join(' ')}`,
  );
}
