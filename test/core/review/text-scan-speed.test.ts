/**
 * The span-based text-table helpers (text-rows.ts) and numberSpan must agree exactly with the
 * string code they replace: each is compared with a reference written with slices, `trim`
 * and the splitting regexes on many seeded random strings.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { isNumeric, numberSpan } from '@privet/core/review/table';
import { headerWords, lineStarts, rowCandidate, splitRow } from '@privet/core/review/text-rows';
import { prng, randomText } from './random-text.js';
import { referenceSplit } from './reference-reading.js';

const PIECES = [...'0123456789', '1,234', '12.5', '-', '+', 'e', '%', '.', ',', ':', 'ab', 'N'];
PIECES.push(' ', ' ', '  ', '\t', '\r', '\u00a0', '\u2003', '\u3000', '\u0085', 'é', 'F 5');

describe('span-based text-table helpers equal the string code they replace', () => {
  test('numberSpan(s, a, b) is isNumeric(s.slice(a, b))', () => {
    const rnd = prng(71);
    const pieces = [...'0123456789012345', ',', ',000', '.', 'e', 'E', '+', '-', '%', ' ', 'x'];
    let numbers = 0;
    for (let k = 0; k < 60_000; k++) {
      const s = randomText(rnd, pieces, 10);
      const a = Math.floor(rnd() * (s.length + 1));
      const b = a + Math.floor(rnd() * (s.length - a + 1));
      const want = isNumeric(s.slice(a, b));
      if (want) numbers++;
      assert.equal(numberSpan(s, a, b), want, JSON.stringify([s, a, b]));
    }
    assert.ok(numbers > 1000, `exercised: ${numbers} numbers`);
  });

  test('splitRow on a span is the regex split of the line (when the line is a candidate)', () => {
    const rnd = prng(73);
    let rows = 0;
    for (let k = 0; k < 60_000; k++) {
      const line = randomText(rnd, PIECES, 14);
      const text = `x\n${line}\ny`;
      const [a, b] = [2, 2 + line.length];
      const got = splitRow(text, a, b);
      const want = rowCandidate(text, a, b) ? referenceSplit(line) : undefined;
      if (want !== undefined) rows++;
      assert.deepEqual(got, want, JSON.stringify(line));
    }
    assert.ok(rows > 1000, `exercised: ${rows} rows`);
  });

  test('headerWords counts the words of a line that can head a table (0 if it cannot)', () => {
    const rnd = prng(79);
    for (let k = 0; k < 40_000; k++) {
      const line = randomText(rnd, PIECES, 10);
      const words = line.trim() === '' ? [] : line.trim().split(/\s+/);
      const sentence = /[.;!?]$/.test(line.trim()) || /[.;!?][ \t\r]*$/.test(line);
      const possible = words.length > 0 && !sentence && !words.some(isNumeric);
      assert.equal(headerWords(line, 0, line.length), possible ? words.length : 0, line);
    }
  });

  test('lineStarts: the lines of split, and whether there are more than the cap', () => {
    const rnd = prng(83);
    for (let k = 0; k < 5_000; k++) {
      const text = randomText(rnd, ['a', '\n', '\n', 'bc', '\r\n', ''], 12);
      const max = 1 + Math.floor(rnd() * 5);
      const { starts, more } = lineStarts(text, max);
      const lines = starts.slice(0, -1).map((s, i) => text.slice(s, (starts[i + 1] ?? 0) - 1));
      assert.deepEqual(lines, text.split('\n', max), JSON.stringify(text));
      assert.equal(more, text.split('\n').length > max, JSON.stringify(text));
    }
  });
});
