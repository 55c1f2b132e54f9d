/**
 * Chart outputs in the review benchmark: charts whose counts the check works out from the data
 * they draw (a plotly histogram over 100k numbers, a 2-D one, a vega-lite binned count over 20k
 * rows), each timed in turns with the naive baseline pass over the same output.
 */
import { checkOutput, type NotebookOutput } from '@privet/core/review/index';
import { baseline, quantile, timeInTurns } from './review-timing.js';
import { prng } from '../test/core/review/random-text.js';

/** An age-like value: 17..90, bell-shaped (sum of three uniforms). */
function age(next: () => number): number {
  return Math.round(17 + ((next() + next() + next()) / 3) * 73);
}

/** A display_data output of one MIME type. */
const display = (mime: string, value: unknown): NotebookOutput => ({
  output_type: 'display_data',
  metadata: {},
  data: { [mime]: value },
});

/** The benchmark's chart outputs by name, drawn from seeded values. */
export function chartOutputs(seed: number): [string, NotebookOutput][] {
  const next = prng(seed);
  const ages = Array.from({ length: 100_000 }, () => age(next));
  const incomes = Array.from({ length: 100_000 }, () => Math.round(20_000 + next() * 80_000));
  const plotly = 'application/vnd.plotly.v1+json';
  const rows = ages.slice(0, 20_000).map((a, i) => ({ age: a + (i % 10) / 10 }));
  return [
    ['plotly_histogram', display(plotly, { data: [{ type: 'histogram', x: ages }], layout: {} })],
    [
      'plotly_histogram2d',
      display(plotly, { data: [{ type: 'histogram2d', x: ages, y: incomes }], layout: {} }),
    ],
    [
      'vegalite_binned_count',
      display('application/vnd.vegalite.v5+json', {
        data: { values: rows },
        mark: 'bar',
        encoding: { x: { field: 'age', bin: true }, y: { aggregate: 'count' } },
      }),
    ],
  ];
}

/** Times checkOutput on each chart against the baseline; adds its metrics and ratio. */
export function timeCharts(metrics: Record<string, number>, ratios: Record<string, number>): void {
  for (const [name, output] of chartOutputs(7)) {
    const fns = [() => void checkOutput(output), () => void baseline(output)];
    timeInTurns(fns, 2); // warm-up
    const [check, base] = timeInTurns(fns, 15);
    const p50 = (xs: readonly number[] | undefined): number => quantile(xs ?? [], 0.5);
    metrics[`${name}_bytes`] = JSON.stringify(output).length;
    metrics[`${name}_p50_ms`] = p50(check?.wall);
    metrics[`${name}_baseline_p50_ms`] = p50(base?.wall);
    ratios[`${name}_check_vs_stringify_regex_cpu_p50`] = p50(check?.cpu) / p50(base?.cpu);
  }
}
