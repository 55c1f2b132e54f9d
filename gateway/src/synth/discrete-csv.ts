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
  if (out.size === 0)
    throw new SynthError(
      'input.bad-domain',
      `${file} names no columns`,
      'write the domain as {"column": size, ...} with one entry per column of the input',
    );
  return out;
}

/** The domain's column names as a list for a message: `"a", "b", …` (at most 20). */
function listNames(names: readonly string[]): string {
  const shown = names.slice(0, 20).map((n) => `"${n}"`);
  return shown.join(', ') + (names.length > 20 ? `, … (${names.length} in all)` : '');
}

/**
 * Checks the header row against the domain. A header cell is echoed only when another cell of the
 * same row names a domain column: with no match at all the "header" is most likely a row of data
 * (the file has no header row), and its cells are raw values.
 */
function checkHeader(header: readonly string[], domain: Map<string, number>, file: string): void {
  const expected = [...domain.keys()];
  const known = header.filter((h) => domain.has(h));
  if (known.length === 0) {
    throw new SynthError(
      'input.no-header',
      `${file}: no cell of the first line names a column of the domain file, so the file seems to have no header row`,
      `add a header row naming the columns: ${listNames(expected)}`,
    );
  }
  const seen = new Set<string>();
  for (const h of known) {
    if (seen.has(h)) {
      throw new SynthError(
        'input.duplicate-column',
        `${file}: column "${h}" appears twice in the header row`,
        'rename or drop one of the two columns',
      );
    }
    seen.add(h);
  }
  const unknown = [...new Set(header.filter((h) => !domain.has(h)))];
  if (unknown.length > 0) {
    const which = unknown.length === 1 ? 'column' : 'columns';
    const are = unknown.length === 1 ? 'is' : 'are';
    throw new SynthError(
      'input.unknown-column',
      `${file}: header ${which} ${listNames(unknown)} ${are} not in the domain file`,
      'add each to the domain JSON or drop it from the CSV',
    );
  }
  const missing = expected.filter((name) => !seen.has(name));
  if (missing.length > 0) {
    throw new SynthError(
      'input.missing-column',
      `${file}: domain ${missing.length === 1 ? 'column' : 'columns'} ${listNames(missing)} ${missing.length === 1 ? 'is' : 'are'} missing from the CSV header`,
      'add each missing column to the CSV header or remove it from the domain JSON',
    );
  }
}

/** Parses a discrete CSV (header row, integer codes) against its domain. */
export function parseDiscreteCsv(
  text: string,
  domain: Map<string, number>,
  file: string,
): DiscreteTable {
  // A byte-order mark (spreadsheet exports) is not part of the first column's name.
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  if (lines.length === 0)
    throw new SynthError('input.empty', `${file} is empty`, 'pass a CSV with a header row');
  const header = lines[0]!.split(',').map((h) => h.trim());
  checkHeader(header, domain, file);
  if (lines.length === 1) {
    throw new SynthError(
      'input.no-rows',
      `${file} has a header row but no data rows`,
      'pass a CSV with at least one row of codes under the header',
    );
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
