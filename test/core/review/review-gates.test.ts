/**
 * The native `indexOf` gates in front of the review's regexes and searches only skip work: the
 * comment gate of `stripTags`, the upper-case `<TABLE` search of `htmlTables` and the gates of the
 * quote-blind picture pass must decide exactly what the ungated code decided.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { htmlTables } from '@privet/core/review/html-table';
import { hasCommentOpen } from '@privet/core/review/normalize';
import { drawsPicture } from '@privet/core/review/pictures';
import { prng, randomText } from './random-text.js';

describe('indexOf gates decide as the ungated searches did', () => {
  test("hasCommentOpen is indexOf('<!--') >= 0", () => {
    const rnd = prng(41);
    const pieces = ['<', '!', '-', '--', '!--', '<!--', '<!-', 'x', ' ', '<b>', '-->'];
    let open = 0;
    for (let k = 0; k < 100_000; k++) {
      const s = randomText(rnd, pieces, 10);
      const want = s.indexOf('<!--') >= 0;
      open += want ? 1 : 0;
      assert.equal(hasCommentOpen(s), want, JSON.stringify(s));
    }
    assert.ok(open > 10_000, `exercised: ${open} comments`);
  });

  test('htmlTables finds every table in both spellings, in order', () => {
    const doc = '<TABLE><tr><td>1</td></tr></TABLE> x <table><tr><td>2</td></tr></table>';
    const cells = htmlTables(`${doc}<Table><TABLE><tr><th>a</th><td>3</td></tr></TABLE>`, 'm').map(
      (t) => t.cells,
    );
    assert.deepEqual(cells, [[['1']], [['2']], [['3']]]);
    // Nested, unclosed and misnested tables: table-evasions.test.ts (3,000 random documents).
  });

  test('the picture pass still decodes references and CSS escapes without a tag', () => {
    assert.equal(drawsPicture('see &#117;rl(x.png)', 'markdown'), true);
    assert.equal(drawsPicture('a \\75 rl(x)', 'markdown'), true);
    assert.equal(drawsPicture('&bsol;75 rl(x)', 'html'), true);
    assert.equal(drawsPicture('<p>&#100;ata:image/png;base64,AAAA</p>', 'html'), true);
    assert.equal(drawsPicture('<P>hi</P>', 'html'), false);
    assert.equal(drawsPicture('plain text (x)', 'markdown'), false);
    assert.equal(drawsPicture('&amp; \\( x', 'html'), false);
  });
});
