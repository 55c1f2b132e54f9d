/**
 * Whole-text passes made cheaper must answer exactly as before: the encoder-based ASCII test as
 * the regex it replaces (on texts crossing its chunk edges), the "percent of a total" scan (which
 * now skips a '%' no total can follow) as its global regex, keys in any case, and the text-table
 * reader, which now counts a text's lines only before a first table, must tell of lines past its
 * cap as before.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { isAscii } from '@privet/core/review/ascii';
import { percentOfMatches } from '@privet/core/review/text-rules';
import { forEachTextTable } from '@privet/core/review/text-table';
import { prng, randomText } from './random-text.js';

const NON_ASCII = /[\u0080-\uffff]/;
/** Code units encoded per step by `isAscii` (its chunk), whose edges the texts straddle. */
const CHUNK = 1 << 14;
const MAX_LINES = 200_000;

describe('cheaper whole-text passes', () => {
  test('isAscii: exactly !/[\\u0080-\\uffff]/.test on short, long and chunk-straddling texts', () => {
    const rnd = prng(29);
    const odd = ['\u0080', '\u00e9', '\u00ff', '\u0100', '\u2028', '\uffff', '\ud83d\ude00'];
    const lone = ['\ud800', '\udc00'];
    const ascii = [...'ab 0:@\n\t\u007f\u0000'];
    const pieces = [...ascii, ...odd, ...lone];
    let nonAscii = 0;
    for (let k = 0; k < 20_000; k++) {
      // Half the texts are ASCII but for at most one odd code unit somewhere.
      let s = randomText(rnd, k % 2 === 0 ? pieces : ascii, 40);
      if (k % 4 === 1) {
        const at = Math.floor(rnd() * (s.length + 1));
        s = s.slice(0, at) + (pieces[Math.floor(rnd() * pieces.length)] ?? '') + s.slice(at);
      }
      nonAscii += NON_ASCII.test(s) ? 1 : 0;
      assert.equal(isAscii(s), !NON_ASCII.test(s), JSON.stringify(s));
    }
    // Long texts: one odd code unit (or a pair split by the edge) near a chunk edge, or none.
    const base = 'x'.repeat(3 * CHUNK + 7);
    let long = 0;
    for (const edge of [
      0,
      255,
      256,
      CHUNK - 2,
      CHUNK - 1,
      CHUNK,
      CHUNK + 1,
      2 * CHUNK,
      3 * CHUNK,
    ]) {
      for (const unit of [...odd, ...lone, '\u007f', 'y']) {
        for (const at of [edge - 1, edge, edge + 1].filter((p) => p >= 0)) {
          const s = base.slice(0, at) + unit + base.slice(at + unit.length);
          long++;
          assert.equal(isAscii(s), !NON_ASCII.test(s), `${JSON.stringify(unit)} at ${at}`);
          assert.equal(isAscii(s.slice(0, edge + 3)), !NON_ASCII.test(s.slice(0, edge + 3)));
        }
      }
    }
    assert.equal(isAscii(''), true);
    assert.equal(isAscii(base), true);
    assert.ok(
      nonAscii > 8_000 && nonAscii < 15_000 && long > 250,
      `exercised: ${nonAscii} short, ${long} long`,
    );
  });

  test('percentOfMatches: the matches of the global regex, keys in any case and any spaces', () => {
    const PERCENT_OF =
      /(\d{1,3}(?:\.\d+)?)\s?%\s+(?:of\s+)?(?:the\s+)?(?:[a-z]+\s+){0,3}?\(?(?:n\s*=\s*|out of\s+|of\s+)(\d{1,3}(?:,\d{3})+|\d+)/gi;
    const rnd = prng(31);
    const pieces = [
      '5%',
      '12.5 %',
      '%',
      ' ',
      '\u00a0',
      '\u2003',
      '\t',
      '\n',
      'OF',
      'Of',
      'oF',
      'of',
    ];
    pieces.push('THE', 'the', 'N', 'n', '=', ' = ', '(', ')', 'OUT', 'out', 'prof', 'x', 'é');
    pieces.push('200', '1,000', '7', '.', ',', 'Patients', '95% CI 0.84', '3% OF 70', '4% (N = 9)');
    let matches = 0;
    for (let k = 0; k < 50_000; k++) {
      const s = randomText(rnd, pieces, 16);
      const want: [number, string][] = [];
      PERCENT_OF.lastIndex = 0;
      for (let m = PERCENT_OF.exec(s); m !== null; m = PERCENT_OF.exec(s))
        want.push([m.index, m[0]]);
      const got: [number, string][] = [];
      percentOfMatches(s, (m) => got.push([m.index, m[0]]) > 0);
      assert.deepEqual(got, want, JSON.stringify(s));
      matches += want.length;
    }
    assert.ok(matches > 2_000, `exercised: ${matches} matches`);
  });

  test('text tables: lines past the cap are told once, first, with or without a table', () => {
    // Texts of about MAX_LINES lines: no table at all, or one early table, or one at the cap.
    for (const lines of [MAX_LINES - 1, MAX_LINES, MAX_LINES + 1, MAX_LINES + 2]) {
      for (const shape of ['none', 'early', 'late'] as const) {
        for (const end of ['', '\n']) {
          const body = Array.from({ length: lines }, (_, i) => `step ${i} done`);
          if (shape === 'early') body.splice(1, 3, 'count', 'F  3', 'M  4');
          if (shape === 'late') body.splice(MAX_LINES - 4, 3, 'count', 'F  3', 'M  4');
          const text = body.join('\n') + end;
          const heard: string[] = [];
          forEachTextTable(
            text,
            'text/plain',
            (t) => heard.push(`table at ${t.firstLine}`),
            (unread) => heard.push(`partial: ${unread}`),
          );
          const more = text.split('\n').length > MAX_LINES;
          const want: string[] = more ? ['partial: tables after line 200,000 of a text'] : [];
          if (shape === 'early') want.push('table at 2');
          if (shape === 'late') want.push(`table at ${MAX_LINES - 3}`);
          assert.deepEqual(heard, want, `${lines} lines, ${shape}, end ${JSON.stringify(end)}`);
        }
      }
    }
  });
});
