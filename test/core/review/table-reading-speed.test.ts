/**
 * The speed-ups of the table readers and table rules must not change what they read: the label
 * caches give what the label tests give, the hand-cut words are the regex split, the reused field
 * buffer gives every line its own split, and the text-table walk (which reuses what it knows of
 * each line) finds the tables a plain line-by-line walk finds. Seeded random strings throughout.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  columnWords,
  COUNT_LABEL,
  COUNT_ROW,
  isCountLabel,
  isCountRowLabel,
  lastPart,
  norm,
  NOT_COUNT,
  perLabel,
} from '@privet/core/review/labels';
import {
  headerWords,
  lineStarts,
  rowCandidate,
  splitCandidate,
  splitRow,
  type Row,
} from '@privet/core/review/text-rows';
import { lineWords, textTables } from '@privet/core/review/text-table';
import { checkOutput, type NotebookOutput } from '@privet/core/review/index';
import { prng, randomText } from './random-text.js';

const LABEL_PIECES = [
  'n',
  'N',
  'count',
  'Count',
  'freq',
  'patients',
  'number of',
  'no.',
  'of',
  'mean',
  'total',
  'top1',
  'dob',
  'phone',
  '%',
  'pct',
  ' / ',
  ' ',
  '  ',
  '_',
  '-',
  '.',
  '#',
  'é',
  'K',
  '\u00a0',
  '\t',
  'x',
  '1',
];

describe('label caches give what the label tests give', () => {
  test('perLabel returns what its reader returns, reads each short label once, and stays bounded', () => {
    let reads = 0;
    const cached = perLabel((label: string) => {
      reads++;
      return label.length % 3 === 0 ? null : label.toUpperCase();
    });
    const rnd = prng(101);
    const seen = new Set<string>();
    for (let k = 0; k < 30_000; k++) {
      const label = k < 20_000 ? randomText(rnd, LABEL_PIECES, 6) : `label ${k}`;
      const before = reads;
      const want = label.length % 3 === 0 ? null : label.toUpperCase();
      assert.equal(cached(label), want, JSON.stringify(label));
      // Labels seen before are not read again (null results included), until the cache is full.
      if (seen.has(label) && seen.size < 4096) assert.equal(reads, before, JSON.stringify(label));
      seen.add(label);
    }
    const long = 'x'.repeat(100);
    const before = reads;
    cached(long);
    cached(long);
    assert.equal(reads, before + 2, 'long labels are read each time');
  });

  test('a check keeps no label after it ends: every cache is emptied, even when the check fails', () => {
    let reads = 0;
    const cached = perLabel((label: string) => {
      reads++;
      return label.length;
    });
    cached('Jane Roe');
    cached('Jane Roe');
    assert.equal(reads, 1, 'kept while no check has ended');
    // A table whose row labels are names: the rules read (and cache) them during the check.
    const table = 'name        n\nJane Roe    2\nJohn Doe    3\n';
    checkOutput({ output_type: 'stream', name: 'stdout', text: table });
    cached('Jane Roe');
    assert.equal(reads, 2, 'read again after checkOutput ended');
    cached('Jane Roe');
    assert.equal(reads, 2);
    // A bundle whose reading throws (a getter on a MIME part) still ends with the caches empty.
    const hostile = {
      output_type: 'display_data',
      metadata: {},
      data: {
        'text/plain': table,
        get 'text/html'(): string {
          throw new Error('unreadable part');
        },
      },
    } as unknown as NotebookOutput;
    assert.throws(() => checkOutput(hostile), /unreadable part/);
    cached('Jane Roe');
    assert.equal(reads, 3, 'read again after a check that threw');
  });

  test('the cached label tests equal the regexes on the normalized label', () => {
    const rnd = prng(102);
    for (let k = 0; k < 40_000; k++) {
      const label = randomText(rnd, LABEL_PIECES, 6);
      const words = norm(lastPart(label)).replace(/[_-]/g, ' ');
      const l = lastPart(norm(label));
      const count =
        COUNT_LABEL.test(l) &&
        !NOT_COUNT.test(l.replace(/[_-]/g, ' ').replace(/\b(?:n|num|count|no)\b/g, ''));
      // Twice: the first call fills the cache, the second reads it.
      for (let twice = 0; twice < 2; twice++) {
        assert.equal(columnWords(label), words, JSON.stringify(label));
        assert.equal(isCountLabel(label), count, JSON.stringify(label));
        assert.equal(isCountRowLabel(label), COUNT_ROW.test(norm(label)), JSON.stringify(label));
      }
    }
  });
});

const LINE_PIECES = [
  ...'0123456789',
  '1,234',
  '12.5',
  '%',
  '-',
  'e',
  ':',
  'ab',
  'count',
  'F 5',
  ' ',
  ' ',
  '  ',
  '   ',
  '\t',
  '\r',
  '\u00a0',
  '\u2003',
  '\u3000',
  '\u0085',
  '\ufeff',
  'é',
];

describe('text-table reading', () => {
  test('lineWords is trim().split(/\\s+/)', () => {
    const rnd = prng(103);
    for (let k = 0; k < 40_000; k++) {
      const line = randomText(rnd, LINE_PIECES, 10);
      const t = line.trim();
      assert.deepEqual(lineWords(line), t === '' ? [] : t.split(/\s+/), JSON.stringify(line));
    }
  });

  test('each split reads its own line, whatever was split before it', () => {
    const rnd = prng(104);
    const lines = Array.from({ length: 2_000 }, () => randomText(rnd, LINE_PIECES, 14));
    const fresh = lines.map((l) => splitRow(l, 0, l.length));
    for (let k = 0; k < 20_000; k++) {
      const i = Math.floor(rnd() * lines.length);
      const line = lines[i] ?? '';
      assert.deepEqual(splitRow(line, 0, line.length), fresh[i], JSON.stringify(line));
      if (rowCandidate(line, 0, line.length))
        assert.deepEqual(splitCandidate(line, 0, line.length), fresh[i], JSON.stringify(line));
    }
  });

  /** Where the tables of a text are and what their rows hold, read line by line with `splitRow`. */
  function referenceTables(text: string): { firstLine: number; rows: Row[] }[] {
    const { starts } = lineStarts(text, 200_000);
    const count = starts.length - 1;
    const from = (k: number): number => (k >= 0 && k < count ? (starts[k] ?? 0) : 0);
    const to = (k: number): number => (k >= 0 && k < count ? (starts[k + 1] ?? 1) - 1 : 0);
    const found: { firstLine: number; rows: Row[] }[] = [];
    let i = 0;
    while (i < count) {
      const first = splitRow(text, from(i), to(i));
      if (first === undefined) {
        i++;
        continue;
      }
      const rows = [first];
      let j = i + 1;
      while (j < count) {
        const r = splitRow(text, from(j), to(j));
        if (r === undefined || r.values.length !== first.values.length) break;
        rows.push(r);
        j++;
      }
      const width = first.values.length;
      const words = headerWords(text, from(i - 1), to(i - 1));
      if (rows.length >= 2 || (words >= width && words <= width + 3))
        found.push({ firstLine: i, rows });
      i = j;
    }
    return found;
  }

  test('textTables finds the tables a line-by-line walk finds, with the same rows', () => {
    const rnd = prng(105);
    const pieces = [
      'cardiology  12  3\n',
      'oncology  1,234  7\n',
      'F  5\n',
      'M 6\n',
      'count  n\n',
      'dept  mean_cost  n\n',
      'The end.\n',
      '0  a  1\n',
      '1  b  2\n',
      'x:  1  2\n',
      '12.5%  3\n',
      '\n',
      '  \t\n',
      'name  age  3  4  5\n',
      'Name: count, dtype: int64\n',
      'a b c\n',
      '1 2 3\n',
    ];
    let tables = 0;
    for (let k = 0; k < 20_000; k++) {
      const text = randomText(rnd, pieces, 12);
      const got = textTables(text, 'text/plain').map((t) => ({
        firstLine: t.firstLine,
        rows: t.rowLabels.map((labels, r) => ({ labels, values: t.cells[r] ?? [] })),
      }));
      const want = referenceTables(text).map(({ firstLine, rows }) => {
        const labelWidth = Math.max(...rows.map((r) => r.labels.length));
        return {
          firstLine,
          rows: rows.map((r) => ({
            labels: [...r.labels, ...Array<string>(labelWidth - r.labels.length).fill('')],
            values: r.values,
          })),
        };
      });
      tables += want.length;
      assert.deepEqual(got, want, JSON.stringify(text));
    }
    assert.ok(tables > 5_000, `exercised: ${tables} tables`);
  });
});
