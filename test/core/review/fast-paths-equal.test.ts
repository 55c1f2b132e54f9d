/**
 * The text-table reader declines, before building it, a table the table rules cannot find
 * anything in (table-filter.ts). Those rules read every table when a check is given a row-level
 * view, so the same output checked with and without a view that matches no column must give the
 * same findings, in the same order, with the same table numbers; and every table the filter
 * declines must give no hit from any table rule. Both are compared here on seeded random texts
 * (tables of odd widths, CRLF, tabs, other-script digits, very long lines, HTML and pipe tables
 * read before the text tables) and on every text of the labelled review corpus.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { checkOutput, type NotebookOutput } from '@privet/core/review/index';
import { forgetLabels } from '@privet/core/review/labels';
import { normalize } from '@privet/core/review/normalize';
import { tableRulesFilter } from '@privet/core/review/table-filter';
import {
  birthDateColumns,
  dominance,
  identifierColumns,
  rowLevel,
  smallCells,
} from '@privet/core/review/table-rules';
import { forEachTextTable } from '@privet/core/review/text-table';
import { resolveSettings, type ReviewContext, type ViewUsed } from '@privet/core/review/types';
import { prng } from './random-text.js';
import { reviewCorpus, stringsOf } from './reference-reading.js';

/** A masked view none of whose columns any table here has: `rowLevel` reads every table, finds nothing. */
const unseenView: ViewUsed = {
  name: 'unseen',
  tier: 'masked',
  quasiIdentifiers: ['zq_never_a_column'],
  columns: ['zq_never_a_column', 'zq_nor_this_one'],
};

const LABELS = ['cardiology', 'F', 'M', 'oncology', '0', '12', 'a b', 'x:', 'count', 'n'];
LABELS.push('total', 'ünï', 'Ａ', 'dept_3', '3 4', '');
const VALUES = ['3', '412', '1234.5', '2,345', '7%', '0.5', '12.0', '1e3', '-4', '+2', '00'];
VALUES.push('5551234567', '123-45-6789', '1985-03-12', '٣', '３', '7', '1', '9', '10', '0');
VALUES.push('2.0', '1,2', '4.', '.5', '5 %', '999999999999999999', '3,000', '08');
const SEPARATORS = ['  ', '\t', ' ', '   ', ' \u00a0', '\t\t', '  \u2003'];
const HEADERS = ['department    mean_cost   n', 'group  count', 'sex', 'name  phone', 'id  dob'];
HEADERS.push('cell  total  max  second', 'x  pct', 'region  share', 'a  b  c', '   count');
HEADERS.push('n  freq', 'Count  %', 'label  value', 'ssn', 'top1  total', 'size', 'n_patients');
const OTHER = ['Name: count, dtype: int64', 'dtype: int64', 'n = 200', 'Total: 120', ''];
OTHER.push('The cohort was followed for 24 months.', '3 patients were excluded', '| a | n |');
OTHER.push('|---|---|', '| x | 3 |', '| y | 250 |', 'Name: sex, dtype: int64', 'of 40 cases');
OTHER.push('<table><tr><th>n</th></tr><tr><td>3</td></tr></table>', '<table><tr><td>4</td></tr>');

const pick = <T>(rnd: () => number, xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T;

/** A random line: mostly table rows of a few widths, with headers and other text between. */
function randomLine(rnd: () => number): string {
  const r = rnd();
  if (r < 0.2) return pick(rnd, HEADERS);
  if (r < 0.35) return pick(rnd, OTHER);
  const labels = Math.floor(rnd() * 3);
  const values = 1 + Math.floor(rnd() * (rnd() < 0.02 ? 400 : 4)); // now and then a very long line
  const fields: string[] = [];
  for (let k = 0; k < labels; k++) fields.push(pick(rnd, LABELS));
  for (let k = 0; k < values; k++) fields.push(pick(rnd, VALUES));
  let line = rnd() < 0.2 ? pick(rnd, SEPARATORS) : '';
  fields.forEach((f, k) => (line += (k > 0 ? pick(rnd, SEPARATORS) : '') + f));
  return rnd() < 0.1 ? line + pick(rnd, [' ', '\t', '  ']) : line;
}

/** A random text of up to `maxLines` lines, ending them with '\n' or, now and then, '\r\n'. */
function randomTableText(rnd: () => number, maxLines: number): string {
  const crlf = rnd() < 0.25;
  const lines: string[] = [];
  const n = 1 + Math.floor(rnd() * maxLines);
  for (let k = 0; k < n; k++) lines.push(randomLine(rnd));
  return lines.join(crlf ? '\r\n' : '\n');
}

/** Findings of a plain-text output checked as is, and with every table read by the rules. */
function bothWays(text: string, ctx: ReviewContext = {}): { fast: string; full: string } {
  const out: NotebookOutput = { output_type: 'stream', name: 'stdout', text };
  const fast = JSON.stringify(checkOutput(out, ctx).findings);
  const full = JSON.stringify(checkOutput(out, { ...ctx, viewsUsed: [unseenView] }).findings);
  return { fast, full };
}

/** How many tables the filter declines in `text`, each checked to give no table-rule hit. */
function declinedWithoutHits(text: string, threshold: number): number {
  const s = { ...resolveSettings(undefined), small_cell_threshold: threshold };
  const norm = normalize(text).text;
  const wanted = tableRulesFilter(s, []);
  let declined = 0;
  let found = 0;
  // The filter's verdicts in order, then the same tables built without it.
  const verdicts: boolean[] = [];
  forEachTextTable(
    norm,
    'x',
    () => undefined,
    undefined,
    (columns, from, rows) => {
      const keep = wanted(columns, from, rows);
      verdicts.push(keep);
      return keep;
    },
  );
  let k = 0;
  forEachTextTable(norm, 'x', (t) => {
    const keep = verdicts[k++];
    assert.notEqual(keep, undefined, 'the filter was asked of every table');
    const hits =
      birthDateColumns(t).length +
      rowLevel(t, s, []).length +
      dominance(t, s).length +
      smallCells(t, s, () => 1000).length +
      identifierColumns(t).length;
    if (hits > 0) found++;
    if (keep === false) {
      declined++;
      assert.equal(hits, 0, `a declined table has hits: ${JSON.stringify(t)}`);
    }
  });
  forgetLabels();
  assert.equal(k, verdicts.length, 'the same tables are read with and without the filter');
  return declined * 1_000_000 + found;
}

describe('text tables declined before they are built are tables the rules find nothing in', () => {
  test('random tables: the same findings with every table read', () => {
    const rnd = prng(4242);
    let numbered = 0;
    let findings = 0;
    for (let k = 0; k < 1500; k++) {
      const text = randomTableText(rnd, 30);
      const policy = { small_cell_threshold: pick(rnd, [10, 3, 100]) };
      const { fast, full } = bothWays(text, { policy });
      assert.equal(fast, full, JSON.stringify(text));
      if (fast.includes('of this part)')) numbered++;
      if (fast !== '[]') findings++;
    }
    // Exercised: later tables numbered after declined ones, and findings of many kinds.
    assert.ok(numbered > 150, `tables numbered in ${numbered} texts`);
    assert.ok(findings > 600, `findings in ${findings} texts`);
  });

  test('random tables: every declined table gives no hit from any table rule', () => {
    const rnd = prng(77);
    let declined = 0;
    let found = 0;
    for (let k = 0; k < 1500; k++) {
      const n = declinedWithoutHits(randomTableText(rnd, 30), pick(rnd, [10, 3, 100]));
      declined += Math.floor(n / 1_000_000);
      found += n % 1_000_000;
    }
    assert.ok(declined > 400, `declined ${declined} tables`);
    assert.ok(found > 300, `tables with hits: ${found}`);
  });

  test('many alike tables, a long log and hostile shapes', () => {
    const para = [
      'The cohort was followed for 24 months; retention was 0.87 (95% CI 0.84-0.90) overall.',
      'department    mean_cost   n\ncardiology       1234.5  412\noncology         2234.1  388',
      'Warnings: 3 columns were cast to float64 during import; see the log for details.',
    ];
    const alike = Array.from({ length: 3000 }, (_, i) => para[i % para.length]).join('\n');
    const texts = [
      alike,
      `${alike}\ngroup  count\nA  3\nB  250`, // a finding after thousands of declined tables
      `| a | n |\n|---|---|\n| x | 3 |\n${alike}\nsex  n\nF  2\nM  40`,
      alike.replace(/\n/g, '\r\n'),
      `n\n${'row  7\n'.repeat(5000)}`,
      `x  y\n${'a'.repeat(100_000)}  1  2\nb  3  4`,
      'count\n' + Array.from({ length: 2000 }, (_, i) => `g${i}\t${i % 13}`).join('\n'),
      `sex\nF  ٣\nM  ３\n`,
    ];
    for (const text of texts) {
      const { fast, full } = bothWays(text);
      assert.equal(fast, full, text.slice(0, 200));
      declinedWithoutHits(text, 10);
    }
  });

  test('the review corpus: the same findings with every table read', () => {
    let texts = 0;
    for (const item of reviewCorpus) {
      const text = stringsOf(item.output).join('\n');
      const { fast, full } = bothWays(text);
      assert.equal(fast, full, text.slice(0, 200));
      declinedWithoutHits(text, 10);
      texts++;
    }
    assert.ok(texts > 10, `${texts} corpus texts`);
  });
});
