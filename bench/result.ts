/** What every benchmark returns: raw metrics, ratios against a baseline measured in the same run, notes. */
export interface BenchResult {
  name: string;
  metrics: Record<string, number>;
  ratios: Record<string, number>;
  notes: string[];
}

/** The median of a non-empty list (the upper middle of an even one). */
export const median = (xs: number[]): number =>
  [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Whole numbers with separators; small fractions (TVDs) with 4 significant digits so goals like ≤ 0.006 can be read. */
function formatNumber(v: number): string {
  if (Number.isInteger(v)) return v.toLocaleString('en-US');
  return Math.abs(v) < 0.1 ? v.toPrecision(4) : v.toFixed(3);
}

/** Prints a BenchResult as aligned text (metrics, then ratios as `×`, then notes). */
export function printResult(result: BenchResult): void {
  console.log(`# ${result.name}`);
  for (const [k, v] of Object.entries(result.metrics))
    console.log(`  ${k.padEnd(40)} ${formatNumber(v)}`);
  for (const [k, v] of Object.entries(result.ratios))
    console.log(`  ${k.padEnd(40)} ${v.toFixed(2)}×`);
  for (const note of result.notes) console.log(`  - ${note}`);
}
