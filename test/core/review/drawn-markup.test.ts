/**
 * Markdown and LaTeX are checked as they are drawn: an autolink shows its address, a GFM table
 * with one-dash delimiters is a table, and typeset TeX (text and font commands, spacing, braces,
 * math delimiters) shows the text inside. Each case passed the check before it read them so.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { checkOutput, type NotebookOutput } from '@privet/core/review/index';
import { texToText } from '@privet/core/review/tex';
import { display } from './display-fixture.js';

/** Distinct rules of the non-info findings. */
const rulesOf = (o: NotebookOutput): string[] => [
  ...new Set(
    checkOutput(o, { mode: 'display' })
      .findings.filter((f) => f.severity !== 'info')
      .map((f) => f.rule),
  ),
];
const markdown = (t: string): NotebookOutput => display('text/markdown', t);
const latex = (t: string): NotebookOutput => display('text/latex', t);

describe('Markdown as drawn', () => {
  test('an autolink shows its address: held', () => {
    assert.deepEqual(rulesOf(markdown('Contact <jane.roe@example.org> for access.')), ['email']);
    assert.deepEqual(rulesOf(markdown('Write to <mailto:jane.roe@example.org>.')), ['email']);
  });

  test('tags and URL autolinks without an address still pass', () => {
    assert.deepEqual(rulesOf(markdown('See <https://example.org/docs> and <b>bold</b> text.')), []);
  });

  test('a table with one-dash delimiters is read as a table (small cells)', () => {
    const table = (sep: string): NotebookOutput =>
      markdown(`| group | visits |\n${sep}\n| A | 3 |\n| B | 120 |\n| C | 88 |`);
    assert.deepEqual(rulesOf(table('|---|---|')), ['small-cell']);
    assert.deepEqual(rulesOf(table('|-|-|')), ['small-cell']);
    assert.deepEqual(rulesOf(table('|:-|-:|')), ['small-cell']);
  });

  test('inline math with text commands shows the address: held', () => {
    assert.deepEqual(rulesOf(markdown('Owner: $\\text{jane.roe}@\\text{example.org}$')), ['email']);
  });
});

describe('LaTeX as typeset', () => {
  test('text and font commands are unwrapped: held', () => {
    assert.deepEqual(rulesOf(latex('$\\text{jane.roe}@\\text{example.org}$')), ['email']);
    assert.deepEqual(rulesOf(latex('$\\texttt{jane}.\\texttt{roe}@example.org$')), ['email']);
    assert.deepEqual(
      rulesOf(latex('\\(\\mathrm{jane}.\\mathrm{roe}@\\mathrm{example}.\\mathrm{org}\\)')),
      ['email'],
    );
  });

  test('spacing commands and braces around pieces are read as drawn', () => {
    assert.deepEqual(rulesOf(latex('{jane}.{roe}\\,@\\,{example}.{org}')), ['email']);
    assert.deepEqual(rulesOf(latex('\\verb|jane.roe@example.org|')), ['email']);
  });

  test('formulas and prices pass', () => {
    assert.deepEqual(rulesOf(latex('$$\\frac{a}{b} = c \\quad \\text{for } b \\neq 0$$')), []);
    assert.deepEqual(
      rulesOf(markdown('The model costs \\$5 and fits in $O(n \\log n)$ time.')),
      [],
    );
  });

  test('texToText keeps escaped braces and specials as characters', () => {
    assert.equal(texToText('\\{a\\}\\_b \\& c'), '{a}_b & c');
    assert.equal(texToText('\\textbf{x}~y\\!z'), 'x yz');
    assert.equal(texToText('no tex here'), 'no tex here');
  });
});
