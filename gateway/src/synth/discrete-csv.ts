// Why: the `privet synth` input is a discretized CSV (integer codes) plus a domain JSON giving
// each column's size — the format of the public Adult benchmark. Parsing is strict and fails
// closed with the row and column, never the offending value (it is raw data).
import { SynthError } from '@privet/core/synth/errors';
import type { DiscreteTable } from '@privet/core/synth/table';

/** Parses a domain JSON object { column: size }. */
export function parseDomain(text: string, file: string): Map<string, number> {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new SynthError(
      'input.bad-domain',
      `${file} is not valid JSON`,
      'write the domain as {"column": size, ...}',
    );
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new SynthError(
      'input.bad-domain',
      `${file} must be a JSON object`,
      'write the domain as {"column": size, ...}',
    );
  }
  const out = new Map<string, number>();
  for (const [name, size] of Object.entries(raw)) {
    if (!Number.isSafeInteger(size) || (size as number) < 1) {
      throw new SynthError(
        'input.bad-domain',
        `${file}: column "${name}" has a size that is not a positive integer`,
        'give every column a positive integer size',
      );
    }
    out.set(name, size as number);
  }
  return out;
}

/** Parses a discrete CSV (header row, integer codes) against its domain. */
export function parseDiscreteCsv(
  text: string,
  domain: Map<string, number>,
  file: string,
): DiscreteTable {
  const lines = text.split(/\r?\n/);
  while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  if (lines.length === 0)
    throw new SynthError('input.empty', `${file} is empty`, 'pass a CSV with a header row');
  const header = lines[0]!.split(',').map((h) => h.trim());
  for (const h of header) {
    if (!domain.has(h)) {
      throw new SynthError(
        'input.unknown-column',
        `${file}: column "${h}" is not in the domain file`,
        'add it to the domain JSON or drop it from the CSV',
      );
    }
  }
  for (const name of domain.keys()) {
    if (!header.includes(name)) {
      throw new SynthError(
        'input.missing-column',
        `${file}: domain column "${name}" is missing from the CSV`,
        'add the column or remove it from the domain JSON',
      );
    }
  }
  const rows = lines.length - 1;
  const columns = header.map((name) => ({
    name,
    size: domain.get(name)!,
    codes: new Int32Array(rows),
  }));
  for (let r = 0; r < rows; r++) {
    const fields = lines[r + 1]!.split(',');
    if (fields.length !== header.length) {
      throw new SynthError(
        'input.ragged',
        `${file} line ${r + 2} has ${fields.length} fields, the header ${header.length}`,
        'fix the CSV',
      );
    }
    for (let c = 0; c < header.length; c++) {
      const f = fields[c]!.trim();
      const v = /^\d+$/.test(f) ? Number(f) : NaN;
      const col = columns[c]!;
      if (!(v >= 0 && v < col.size)) {
        throw new SynthError(
          'input.bad-code',
          `${file} line ${r + 2}, column "${col.name}": not an integer code in 0..${col.size - 1}`,
          'discretize the column to codes within its declared domain',
        );
      }
      col.codes[r] = v;
    }
  }
  return { columns, rows };
}

/** Formats a discrete table as CSV (header + codes). */
export function formatDiscreteCsv(t: DiscreteTable): string {
  const parts: string[] = [t.columns.map((c) => c.name).join(',')];
  const row: number[] = new Array<number>(t.columns.length);
  for (let i = 0; i < t.rows; i++) {
    for (let c = 0; c < t.columns.length; c++) row[c] = t.columns[c]!.codes[i]!;
    parts.push(row.join(','));
  }
  return parts.join('\n') + '\n';
}
