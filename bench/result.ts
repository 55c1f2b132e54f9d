/** What every benchmark returns: raw metrics, ratios against a baseline measured in the same run, notes. */
export interface BenchResult {
  name: string;
  metrics: Record<string, number>;
  ratios: Record<string, number>;
  notes: string[];
}

function formatNumber(v: number): string {
  return Number.isInteger(v) ? v.toLocaleString('en-US') : v.toFixed(3);
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
