/**
 * The review engine skips work where a cheap test shows a rule cannot hit: a table with no small
 * count and no percentage, a number whose words around it cannot be a count's key or noun, an
 * '=' or ':' after no total keyword. Each shortcut is compared here with the full reading it
 * skips, on seeded random input built from what matters to it and on every text of the labelled
 * review corpus, so the two can never find different things.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { identifierSpans } from '@privet/core/review/sink';
import { normalize } from '@privet/core/review/normalize';
import { UNITS, statedTotal } from '@privet/core/review/labels';
import { smallCellHits, smallCells } from '@privet/core/review/small-cells';
import { textCounts } from '@privet/core/review/text-rules';
import { markdownTables, textTables } from '@privet/core/review/text-table';
import type { Table } from '@privet/core/review/table';
import { resolveSettings } from '@privet/core/review/types';
import { prng, randomText } from './random-text.js';
import { reviewCorpus, stringsOf } from './reference-reading.js';

/** The corpus texts as the rules read them: each output's strings, joined, and normalized. */
const corpusTexts = reviewCorpus.map((item) => normalize(stringsOf(item.output).join('\n')).text);

// The count rule's regexes as written (text-rules.ts), run on every candidate without shortcuts.
const KEY_BEFORE = new RegExp(
  `\\b(?:n|count|counts|freq|frequency|(?:number|no\\.) of (?:[a-z]+ )?(?:${UNITS})|${UNITS})\\s*(?:[:=]|\\bwas|\\bwere|\\bis|\\bare)[ \\t]*$`,
  'i',
);
const NOUN_AFTER =
  /^[ \t]+(?:patients?|people|persons?|individuals?|participants?|respondents?|subjects?|cases?|deaths?|customers?|employees?|students?|households?)\b/i;
const BAD_AFTER = /^(?:\.0*[1-9]|[.,]\d|[ \t]?%)/; // `\s?%` as the rule reads it

/** The spans of "a count stated in text" hits, read with the regexes at every small number. */
function referenceCounts(text: string, th: number, small: readonly number[]): number[] {
  const spans: number[] = [];
  for (let k = 0; k + 1 < small.length && spans.length < 200; k += 2) {
    const a = small[k] ?? 0;
    const b = small[k + 1] ?? 0;
    const v = Number(text.slice(a, b));
    if (!(v > 0 && v < th) || BAD_AFTER.test(text.slice(b))) continue;
    const prev = text
      .slice(0, a)
      .replace(/[ \t]+$/, '')
      .slice(-1);
    const keyed = /[:=se]/i.test(prev) && KEY_BEFORE.test(text.slice(Math.max(0, a - 48), a));
    if (keyed || NOUN_AFTER.test(text.slice(b, b + 24))) spans.push(a, b);
  }
  return spans;
}

/** The spans of the count hits `textCounts` finds in `text`. */
function countSpans(text: string, th: number): { got: number[]; want: number[] } {
  const small: number[] = [];
  identifierSpans(text, small, th);
  const s = { ...resolveSettings(undefined), small_cell_threshold: th };
  const got = textCounts(text, s, small)
    .filter((h) => h.message.startsWith('a count stated'))
    .flatMap((h) => [h.start, h.end]);
  return { got, want: referenceCounts(text, th, small) };
}

describe('shortcuts of the review rules find what the full reading finds', () => {
  test('textCounts: counts keyed before or named after, as the regexes read them', () => {
    const rnd = prng(97);
    const pieces = ['3', ' 7', ' 2 ', '12', ' ', ' ', '  ', '\t', ':', '=', ': ', ' = ', '.', ','];
    pieces.push(' 4', ' 5 ', ': 6', '= 8', ' is 9', ' were 1', '%', ' 3 ', ' 3 ', ' 3 ', ': 4');
    pieces.push('n', 'N', 'count', 'Counts', 'freq', 'frequency', 'number of ', 'no. of ');
    pieces.push('patients', 'Patient', 'people', 'cases', 'deaths', 'children', 'obs', 'men');
    pieces.push('was', 'were', 'IS', 'are', ' was ', ' were ', 'is', 'x', 'warnings', 'e', 's');
    pieces.push(' WERE ', 'WAS', ' Are ', 'E', 'S', 'PATIENTS');
    pieces.push('_', '-', '\n', 'é', 'the ', 'women', 'households', 'subjectsx', 'rows', 'a');
    let hits = 0;
    for (let k = 0; k < 30_000; k++) {
      const text = randomText(rnd, pieces, 16);
      const { got, want } = countSpans(text, 10);
      hits += want.length / 2;
      assert.deepEqual(got, want, JSON.stringify(text));
    }
    assert.ok(hits > 1000, `exercised: ${hits} counts`);
  });

  test('textCounts: a count keyed by a verb in capitals is found as in lower case', () => {
    for (const text of ['Patients WERE 3', 'patients were 3', 'Deaths Was 2', 'COUNT IS 4']) {
      const { got, want } = countSpans(text, 10);
      assert.equal(got.length, 2, `one count found in ${JSON.stringify(text)}`);
      assert.deepEqual(got, want, JSON.stringify(text));
    }
  });

  test('textCounts: windows cut inside a key or a noun read as the regexes read them', () => {
    const pad = (n: number): string => 'x'.repeat(n);
    for (let n = 0; n < 60; n++) {
      for (const text of [
        `${pad(n)}patients: 3`,
        `${pad(n)} counts   \t = 4 cases`,
        `n = ${' '.repeat(n)}5`,
        `${pad(n)}number of patients were 2`,
        `6${' '.repeat(n)}patientsx`,
        `7${' '.repeat(n)}patients`,
      ]) {
        const { got, want } = countSpans(text, 10);
        assert.deepEqual(got, want, JSON.stringify(text));
      }
    }
  });

  test('textCounts and statedTotal on every text of the review corpus', () => {
    const TOTAL =
      /\b(?:[nN]|[tT]otal|TOTAL|[sS]ample size|[rR]espondents|[pP]atients|[pP]articipants)\s*[=:]\s*(\d{1,3}(?:,\d{3})+|\d+)\b/;
    for (const text of corpusTexts) {
      for (const th of [5, 10, 100]) {
        const { got, want } = countSpans(text, th);
        assert.deepEqual(got, want, text.slice(0, 200));
      }
      const m = TOTAL.exec(text);
      const want = m === null ? undefined : Number((m[1] ?? '').replace(/,/g, ''));
      assert.equal(statedTotal(text), want === 0 ? undefined : want, text.slice(0, 200));
    }
  });

  test('smallCells: its shortcut for tables without small counts or percentages changes nothing', () => {
    const rnd = prng(101);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T;
    const labels = ['n', 'count', 'pct', 'share', '%', 'mean', 'x', 'total', 'n_patients', ''];
    const rowNames = ['count', 'a', 'b', '1', '2', 'total', 'n', 'a'];
    const cells = ['0', '1', '3', '9', '10', '12', '3.0', '1,234', '5%', '0.5', 'abc', '', '-2'];
    cells.push('n/a', '250*', '45.5%', '100', '7,000', '2.00', '+4', '1e3');
    const contexts = ['', 'n=200', 'Total: 50', 'Name: count, dtype: int64', 'crosstab', 'x'];
    let hits = 0;
    for (let k = 0; k < 20_000; k++) {
      const width = 1 + Math.floor(rnd() * 3);
      const rows = Math.floor(rnd() * 4);
      const labelWidth = Math.floor(rnd() * 2);
      const t: Table = {
        mime: 'text/plain',
        labelColumns: Array.from({ length: labelWidth }, () => pick(['', 'sex', 'group'])),
        columns: Array.from({ length: width }, () => pick(labels)),
        rowLabels: Array.from({ length: rows }, () =>
          Array.from({ length: labelWidth }, () => pick(rowNames)),
        ),
        cells: Array.from({ length: rows }, () => Array.from({ length: width }, () => pick(cells))),
        context: pick(contexts),
        indexed: rnd() < 0.5,
      };
      const s = { ...resolveSettings(undefined), small_cell_threshold: pick([5, 10]) };
      const total = pick([undefined, 100, 1000]);
      const want = smallCellHits(t, s, () => total);
      hits += want.length;
      assert.deepEqual(
        smallCells(t, s, () => total),
        want,
        JSON.stringify(t),
      );
    }
    assert.ok(hits > 2000, `exercised: ${hits} hits`);
  });

  test('smallCells: the same hits with and without the shortcut on the corpus tables', () => {
    const s = resolveSettings(undefined);
    let tables = 0;
    for (const text of corpusTexts) {
      for (const t of [...textTables(text, 'text/plain'), ...markdownTables(text, 'text/plain')]) {
        tables++;
        const total = (): number | undefined => statedTotal(text);
        assert.deepEqual(smallCells(t, s, total), smallCellHits(t, s, total), text.slice(0, 200));
      }
    }
    assert.ok(tables > 50, `exercised: ${tables} tables`);
  });
});
