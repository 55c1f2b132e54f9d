/**
 * The text-table reader walks the lines once, by index, and reuses the words of a header line for
 * the next table under the same line. Here it is compared, whole tables at a time, with a reading
 * written plainly (split at '\n', trim, the splitting regexes, a fresh header per table) on every
 * text of the labelled review corpus, on seeded random texts of table-like lines, and at the line
 * cap, so the two can never give different tables.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { normalize } from '@privet/core/review/normalize';
import { isNumeric, type Table } from '@privet/core/review/table';
import { forEachTextTable, textTables } from '@privet/core/review/text-table';
import { prng, randomText } from './random-text.js';
import { referenceSplit, reviewCorpus, stringsOf } from './reference-reading.js';

const MAX_LINES = 200_000;

const words = (line: string): string[] => (line.trim() === '' ? [] : line.trim().split(/\s+/));

/** How many names a line holds if it can head a table (no number, no sentence end), else 0. */
function headerWordCount(line: string): number {
  const w = words(line);
  return /[.;!?]$/.test(line.trim()) || w.some(isNumeric) ? 0 : w.length;
}

/** Column names and index names from the lines above a table and its footer. */
function referenceHeader(
  above1: string,
  above2: string,
  footer: string,
  width: number,
  labelWidth: number,
): { header: string[]; indexNames: string[] } {
  const t1 = words(above1);
  if (width === 1 && /^(?:Name: .*)?dtype: /.test(footer.replace(/^Name: ([^,]*), /, 'Name: $1, ')))
    return {
      header: [/^Name: ([^,]+),/.exec(footer)?.[1] ?? ''],
      indexNames: t1.length <= labelWidth ? t1 : [],
    };
  const t2 = words(above2);
  if (t1.length > 0 && t1.length <= labelWidth && t2.length >= width && !t2.some(isNumeric))
    return { header: t2, indexNames: t1 };
  if (t1.length >= width && !t1.every(isNumeric)) return { header: t1, indexNames: [] };
  if (t1.length > 0 && t1.length <= labelWidth) return { header: [], indexNames: t1 };
  return { header: [], indexNames: [] };
}

/** The tables of a text as a line-by-line reading with strings and regexes finds them. */
function referenceTables(text: string, mime: string): Table[] {
  const lines = text.split('\n', MAX_LINES);
  const line = (k: number): string => (lines[k] ?? '').trim();
  const tables: Table[] = [];
  for (let i = 0; i < lines.length;) {
    const first = referenceSplit(lines[i] ?? '');
    if (first === undefined) {
      i++;
      continue;
    }
    const rows = [first];
    let j = i + 1;
    for (
      let r = referenceSplit(lines[j] ?? '');
      j < lines.length;
      r = referenceSplit(lines[++j] ?? '')
    )
      if (r === undefined || r.values.length !== first.values.length) break;
      else rows.push(r);
    const width = first.values.length;
    const names = headerWordCount(lines[i - 1] ?? '');
    if (rows.length >= 2 || (names >= width && names <= width + 3)) {
      const labelWidth = Math.max(...rows.map((r) => r.labels.length));
      const { header, indexNames } = referenceHeader(
        line(i - 1),
        line(i - 2),
        line(j),
        width,
        labelWidth,
      );
      const pad = (xs: string[], n: number): string[] =>
        Array.from({ length: n }, (_, c) => xs[c] ?? '');
      tables.push({
        mime,
        labelColumns: pad(indexNames, labelWidth),
        columns: pad(header.slice(-width), width),
        rowLabels: rows.map((r) => pad(r.labels, labelWidth)),
        cells: rows.map((r) => r.values),
        context: `${line(i - 2)} ${line(i - 1)} ${line(j)}`,
        indexed: true,
        firstLine: i,
      });
    }
    i = j;
  }
  return tables;
}

/** Lines that make, head, break and follow text tables, including same-headed repeats. */
const LINES = [
  'cardiology  12  3',
  'oncology  1,234  7',
  'oncology  2234.1  388',
  'F  5',
  'M 6',
  'count',
  'n',
  'count  n',
  'dept  mean_cost  n',
  'department    mean_cost   n',
  'sex',
  'age  sex',
  'The end.',
  'Warnings: 3 columns were cast.',
  '0  a  1',
  '1  b  2',
  'x:  1  2',
  '12.5%  3',
  '',
  '  \t',
  'name  age  3  4  5',
  'Name: count, dtype: int64',
  'Name: sex, dtype: int64',
  'dtype: int64',
  'a b c',
  '1 2 3',
  '\u00a0top1  total\u3000',
  'x  1\r',
  'lr  3.0e-04  -5',
];

describe('the one-pass text-table reader gives the tables of a plain reading', () => {
  test('on every text of the review corpus, raw and normalized', () => {
    let tables = 0;
    for (const item of reviewCorpus) {
      const raw = stringsOf(item.output).join('\n');
      for (const text of [raw, normalize(raw).text]) {
        const want = referenceTables(text, 'text/plain');
        tables += want.length;
        assert.deepEqual(textTables(text, 'text/plain'), want, text.slice(0, 200));
      }
    }
    assert.ok(tables > 20, `exercised: ${tables} tables`);
  });

  test('on seeded random texts of table-like lines (repeated headers included)', () => {
    const rnd = prng(211);
    const pieces = LINES.map((l) => `${l}\n`);
    let tables = 0;
    let reused = 0;
    for (let k = 0; k < 20_000; k++) {
      const block = randomText(rnd, pieces, 8);
      // Often the same block (one header, one shape) several times, as a loop prints it.
      const text = block.repeat(1 + Math.floor(rnd() * 3)) + randomText(rnd, LINES, 3);
      const want = referenceTables(text, 'text/plain');
      tables += want.length;
      if (want.length > 1) reused++;
      assert.deepEqual(textTables(text, 'text/plain'), want, JSON.stringify(text));
    }
    assert.ok(tables > 10_000 && reused > 1_000, `exercised: ${tables} tables, ${reused} texts`);
  });

  test('at the line cap: the partial read is told first, and only the lines read make tables', () => {
    for (const [extra, end] of [-1, 0, 1, 2].flatMap((e) => [
      [e, ''] as const,
      [e, '\n'] as const,
    ])) {
      const body = Array.from({ length: MAX_LINES + extra - 3 }, () => 'x').join('\n');
      const text = `${body}\ncount\nF  3\nM  4${end}`;
      const heard: string[] = [];
      forEachTextTable(
        text,
        'text/plain',
        (t) => heard.push(`table at ${t.firstLine}`),
        (unread) => heard.push(`partial: ${unread}`),
      );
      const want = referenceTables(text, 'text/plain').map((t) => `table at ${t.firstLine}`);
      const more = text.split('\n').length > MAX_LINES;
      if (more) want.unshift('partial: tables after line 200,000 of a text');
      assert.deepEqual(heard, want, `lines: ${text.split('\n').length}`);
    }
  });
});
