// Benchmark of the exact DP samplers: draws per second of each sampler, against a baseline of
// crypto.getRandomValues producing the same number of 32-bit words in the same run (so the ratio
// is the cost of exactness on top of the raw CSPRNG, independent of the machine's speed).
import { sampleDiscreteLaplace } from '@privet/core/dp/discrete-laplace';
import { DiscreteGaussianSampler } from '@privet/core/dp/discrete-gaussian';
import { CryptoRandomSource, type RandomSource } from '@privet/core/dp/random';
import { Rational } from '@privet/core/dp/rational';

/** Counts the words a sampler consumes while drawing from the real CSPRNG. */
class CountingSource implements RandomSource {
  words = 0;
  private readonly inner = new CryptoRandomSource();
  nextUint32(): number {
    this.words++;
    return this.inner.nextUint32();
  }
}

/** Best-of-3 time (ms) for crypto.getRandomValues to produce `words` 32-bit words in 16 KiB blocks. */
function baselineMs(words: number): number {
  const block = new Uint32Array(4096);
  let best = Infinity;
  for (let rep = 0; rep < 3; rep++) {
    const t0 = performance.now();
    for (let left = words; left > 0; left -= block.length) globalThis.crypto.getRandomValues(block);
    best = Math.min(best, performance.now() - t0);
  }
  return best;
}

interface Case {
  key: string;
  draw: (rng: RandomSource) => bigint;
}

/** Runs the benchmark; returns draws/s per sampler and the ratio to the CSPRNG baseline. */
export async function run(): Promise<{
  name: string;
  metrics: Record<string, number>;
  ratios: Record<string, number>;
  notes: string[];
}> {
  const draws = Number(process.env.PRIVET_BENCH_DRAWS ?? 200_000);
  const gauss = (s2: Rational) => {
    const s = new DiscreteGaussianSampler(s2);
    return (rng: RandomSource) => s.sample(rng);
  };
  const cases: Case[] = [
    { key: 'laplace_scale_1', draw: (rng) => sampleDiscreteLaplace(Rational.of(1), rng) },
    { key: 'laplace_scale_100', draw: (rng) => sampleDiscreteLaplace(Rational.of(100), rng) },
    {
      key: 'laplace_scale_1e20',
      draw: (rng) => sampleDiscreteLaplace(Rational.of(10n ** 20n), rng),
    },
    { key: 'gaussian_sigma2_1', draw: gauss(Rational.of(1)) },
    { key: 'gaussian_sigma2_1e4', draw: gauss(Rational.of(10_000)) },
    { key: 'gaussian_sigma2_1e6_over_7', draw: gauss(Rational.of(1_000_000, 7)) },
  ];
  baselineMs(1_000_000); // warm up the CSPRNG path before any timing
  const metrics: Record<string, number> = {};
  const ratios: Record<string, number> = {};
  const notes: string[] = [];
  for (const c of cases) {
    const n = c.key.endsWith('1e20') ? Math.max(1, Math.floor(draws / 20)) : draws;
    const rng = new CountingSource();
    for (let i = 0; i < 20_000; i++) c.draw(rng); // warm-up (JIT)
    rng.words = 0;
    const t0 = performance.now();
    for (let i = 0; i < n; i++) c.draw(rng);
    const ms = performance.now() - t0;
    const base = baselineMs(rng.words);
    metrics[`${c.key}_draws_per_s`] = Math.round((n / ms) * 1000);
    metrics[`${c.key}_words_per_draw`] = Number((rng.words / n).toFixed(2));
    ratios[`${c.key}_vs_getRandomValues`] = Number((ms / base).toFixed(2));
    notes.push(
      `${c.key}: ${metrics[`${c.key}_draws_per_s`]} draws/s, ${metrics[`${c.key}_words_per_draw`]} words/draw, ` +
        `${ratios[`${c.key}_vs_getRandomValues`]}× the time getRandomValues needs for the same words`,
    );
  }
  return { name: 'dp-sampler', metrics, ratios, notes };
}

// Allow `node --conditions=privet-source --import tsx bench/dp-sampler.ts` on its own.
if (import.meta.url === `file://${process.argv[1]}`) {
  const r = await run();
  for (const line of r.notes) console.log(line);
}
