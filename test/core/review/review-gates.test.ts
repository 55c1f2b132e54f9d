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

/** The tables of each `<table`/`<TABLE` … first `</table`/`</TABLE` stretch, read one by one. */
function tablesBySegment(html: string): ReturnType<typeof htmlTables> {
  const first = (needles: string[], from: number): number => {
    const found = needles.map((n) => html.indexOf(n, from)).filter((i) => i >= 0);
    return found.length === 0 ? -1 : Math.min(...found);
  };
  const out: ReturnType<typeof htmlTables> = [];
  for (let from = 0; ;) {
    const start = first(['<table', '<TABLE'], from);
    if (start < 0) return out;
    const stop = first(['</table', '</TABLE'], start);
    const end = stop < 0 ? html.length : stop;
    out.push(...htmlTables(html.slice(start, end), 'text/html'));
    from = end + 1;
  }
}

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
    const rnd = prng(43);
    const pieces = ['<table>', '<TABLE>', '</table>', '</TABLE>', '<Table>', '<table', '</TAB'];
    pieces.push('<tr>', '<td>', '<th>', '</td>', '1', '7', 'x', ' ', '<', '>', 'TABLE', '<b>');
    let tables = 0;
    for (let k = 0; k < 30_000; k++) {
      const s = randomText(rnd, pieces, 24);
      const want = tablesBySegment(s);
      tables += want.length;
      assert.deepEqual(htmlTables(s, 'text/html'), want, JSON.stringify(s));
    }
    assert.ok(tables > 8_000, `exercised: ${tables} tables`);
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
