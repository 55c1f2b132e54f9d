/**
 * `dropTags` (drop-tags.ts) replaces the last tag passes of `stripTags` by one walk: on seeded
 * random markup (odd tags, unclosed tags, tags meeting another '<', names with digits, dashes and
 * colons, any case, non-ASCII text) it must give exactly what the regexes give, or undefined
 * where it says it does not answer (non-ASCII; a tag meeting '<' when not reading those).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { BREAK_NAMES, dropTags } from '@privet/core/review/drop-tags';
import { prng, randomText } from './random-text.js';

// The regexes of normalize.ts, as they were before the walk.
const CELL_TAG = /<\/?t[dh]\b[^<>]*>/gi;
const BREAK_TAG = new RegExp(`<\\/?(?:${BREAK_NAMES.join('|')})\\b[^<>]*>`, 'gi');
const ANY_TAG = /<\/?[A-Za-z][^<>]*>/g;
const UNCLOSED = /<(?=\/?[A-Za-z][^<>]*<)/g;

const byRegex = (s: string, unclosed: boolean): string =>
  (unclosed ? s.replace(UNCLOSED, ' ') : s)
    .replace(CELL_TAG, '\t')
    .replace(BREAK_TAG, '\n')
    .replace(ANY_TAG, '');

const PIECES = ['<', '>', '/', '</', 'td', 'TH', 'tr', 'Tr', 'td-x', 'tda', 'th:x', 'h1', 'H7'];
PIECES.push('p', 'P', 'pre', 'g', 'svg', 'text', 'tspan', 'textarea', 'title', 'desc', 'b', 'a');
PIECES.push('blockquote', 'figcaption', 'caption', 'table', 'THEAD', 'tbody', 'br', 'hr', 'dd');
PIECES.push(' ', '\t', '\n', '=', '"', "'", 'x', '1', '_', '-', ':', '3', 'jane@example.org');
PIECES.push('é', 'Ｊ', '\u0131', '\u017f', '<td>', '</td>', '<tr>', '<br/>', '<p x=<br>', '<<td>');

describe('dropTags reads markup as the tag regexes do', () => {
  test('random markup, with and without the unclosed-tag pass', () => {
    const rnd = prng(9090);
    let answered = 0;
    let declined = 0;
    for (let k = 0; k < 20_000; k++) {
      const s = randomText(rnd, PIECES, 40);
      const ascii = rnd() < 0.8 ? s.replace(/[\u0080-\uffff]/g, '') : s;
      for (const unclosed of [true, false]) {
        const walked = dropTags(ascii, unclosed);
        if (walked === undefined) {
          declined++;
          // Declined only where the walk says it does not answer.
          const meets = /<\/?[A-Za-z][^<>]*</.test(ascii);
          assert.ok(/[\u0080-\uffff]/.test(ascii) || (!unclosed && meets), JSON.stringify(ascii));
        } else {
          answered++;
          assert.equal(walked, byRegex(ascii, unclosed), JSON.stringify(ascii));
        }
      }
    }
    assert.ok(answered > 20_000 && declined > 2_000, `${answered} answered, ${declined} declined`);
  });

  test('long markup (a pandas table) and the edges of the buffer', () => {
    const rows = Array.from(
      { length: 5000 },
      (_, i) => `<tr><th>${i}</th><td>dept_${i % 7}</td></tr>`,
    );
    const table = `<table class="x"><TBODY>${rows.join('')}</tbody></table>`;
    for (const s of [table, table + '<p', '<p' + table, `${table}<a<b>`, '', '<', 'a<b>c'])
      assert.equal(dropTags(s, true), byRegex(s, true));
    // Nothing of the text stays in the buffer: a shorter text after a longer one reads the same.
    assert.equal(dropTags('<td>ab', true), '\tab');
  });
});
