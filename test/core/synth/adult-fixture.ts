// Loads the discretized UCI Adult benchmark (read-only shared data) as a DiscreteTable.
import { readFileSync } from 'node:fs';
import { takeRows, type DiscreteTable } from '@privet/core/synth/table';
import { ADULT_DIR } from '../../adult-path.js';

/** Folder of the shared Adult data set. */
export { ADULT_DIR };

let cached: DiscreteTable | undefined;

/** The full Adult table (48,842 rows × 14 columns), parsed once per process. */
export function loadAdult(): DiscreteTable {
  if (cached) return cached;
  const domain = JSON.parse(readFileSync(`${ADULT_DIR}/adult-domain.json`, 'utf8')) as Record<
    string,
    number
  >;
  const lines = readFileSync(`${ADULT_DIR}/adult.csv`, 'utf8').trim().split('\n');
  const header = lines[0]!.split(',');
  const rows = lines.length - 1;
  const columns = header.map((name) => ({
    name,
    size: domain[name]!,
    codes: new Int32Array(rows),
  }));
  for (let i = 0; i < rows; i++) {
    const f = lines[i + 1]!.split(',');
    for (let j = 0; j < f.length; j++) columns[j]!.codes[i] = Number(f[j]);
  }
  cached = { columns, rows };
  return cached;
}

/** Splits a table into even rows (train) and odd rows (holdout). */
export function splitHalves(t: DiscreteTable): { train: DiscreteTable; holdout: DiscreteTable } {
  const even: number[] = [];
  const odd: number[] = [];
  for (let i = 0; i < t.rows; i++) (i % 2 === 0 ? even : odd).push(i);
  return { train: takeRows(t, even), holdout: takeRows(t, odd) };
}

/** Samples every column independently from its true 1-way marginal (the floor baseline). */
export function independentBaseline(
  t: DiscreteTable,
  rows: number,
  next: () => number,
): DiscreteTable {
  const columns = t.columns.map((c) => {
    const pool = c.codes;
    const codes = new Int32Array(rows);
    for (let i = 0; i < rows; i++) codes[i] = pool[Math.floor(next() * pool.length)]!;
    return { name: c.name, size: c.size, codes };
  });
  return { columns, rows };
}
