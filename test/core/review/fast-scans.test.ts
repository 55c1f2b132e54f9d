/**
 * The hand-written fast scans of the review engine must find exactly what the regexes they replace
 * find (they only skip work): each is compared with its reference regex on many seeded random
 * strings built from the characters that matter to it.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { paddedTokens, hasUrlEscape } from '@privet/core/review/encoded';
import { statedTotal } from '@privet/core/review/labels';
import { timeFollows } from '@privet/core/review/birth-dates';
import { nextTag, plainCell } from '@privet/core/review/html-table';
import { hasBracketWord } from '@privet/core/review/normalize';
import { dateShaped, ipv4Shaped, ssnShaped } from '@privet/core/review/numbers';
import { nanpMayStart } from '@privet/core/review/phones';
import { redact } from '@privet/core/review/sink';
import { percentOfMatches } from '@privet/core/review/text-rules';
import { isNumeric } from '@privet/core/review/table';
import { textTables } from '@privet/core/review/text-table';
import type { IdSpan } from '@privet/core/review/scan-util';
import { prng, randomText } from './random-text.js';

describe('fast scans equal their reference regexes', () => {
  test('dateShaped / ipv4Shaped: true exactly where the DATE / IPV4 sticky regexes match', () => {
    const DATE = /(\d{4})([-/.])(\d{1,2})\2(\d{1,2})|(\d{1,2})([-/.])(\d{1,2})\6(\d{4})/y;
    const IPV4 = /(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})/y;
    const rnd = prng(5);
    const pieces = [...'0123456789012345', '-', '/', '.', '.', ' ', 'x'];
    let dates = 0;
    let ips = 0;
    for (let k = 0; k < 40_000; k++) {
      const s = randomText(rnd, pieces, 16);
      for (let p = 0; p < s.length; p++) {
        DATE.lastIndex = p;
        IPV4.lastIndex = p;
        const d = DATE.test(s);
        const ip = IPV4.test(s);
        dates += d ? 1 : 0;
        ips += ip ? 1 : 0;
        assert.equal(dateShaped(s, p), d, `date at ${p} of ${JSON.stringify(s)}`);
        assert.equal(ipv4Shaped(s, p), ip, `IPv4 at ${p} of ${JSON.stringify(s)}`);
      }
    }
    assert.ok(dates > 100 && ips > 20, `exercised: ${dates} dates, ${ips} addresses`);
  });

  test('ssnShaped: true exactly where the SSN sticky regex matches', () => {
    const SSN = /(\d{3})([- ./]?)(\d{2})\2(\d{4})/y;
    const rnd = prng(13);
    const pieces = [...'01234567890123456789', '-', ' ', '.', '/', 'x'];
    let hits = 0;
    for (let k = 0; k < 40_000; k++) {
      const s = randomText(rnd, pieces, 14);
      for (let p = 0; p < s.length; p++) {
        SSN.lastIndex = p;
        const want = SSN.test(s);
        hits += want ? 1 : 0;
        assert.equal(ssnShaped(s, p), want, `SSN at ${p} of ${JSON.stringify(s)}`);
      }
    }
    assert.ok(hits > 100, `exercised: ${hits} matches`);
  });

  test('timeFollows equals the timestamp regex; nanpMayStart holds wherever NANP matches', () => {
    const TIME = /^(?:[ T]\d{1,2}:\d{2}|,? \d{1,2}:\d{2})/;
    const NANP = /(?:\+?1[ .-]?)?(?:\(\s?(\d{3})\s?\)[ .-]?|(\d{3})[ ./-])(\d{3})[ ./-]?(\d{4})/y;
    const rnd = prng(23);
    const pieces = [...'0123456789012345678901234567890123456789', ' ', 'T', ',', ':', '+', '('];
    pieces.push(
      ')',
      '.',
      '-',
      '/',
      '\t',
      'x',
      '1 ',
      '(212) ',
      '555-',
      '0134',
      ' 12:30',
      'T9:05',
      ', 7:',
    );
    let times = 0;
    let phones = 0;
    for (let k = 0; k < 40_000; k++) {
      const s = randomText(rnd, pieces, 20);
      for (let p = 0; p < s.length; p++) {
        const t = TIME.test(s.slice(p, p + 7));
        times += t ? 1 : 0;
        assert.equal(timeFollows(s, p), t, `time at ${p} of ${JSON.stringify(s)}`);
        NANP.lastIndex = p;
        if (NANP.test(s)) {
          phones++;
          assert.ok(nanpMayStart(s, p), `NANP at ${p} of ${JSON.stringify(s)}`);
        }
      }
    }
    assert.ok(times > 1000 && phones > 1000, `exercised: ${times} times, ${phones} phones`);
  });

  test('isNumeric: the NUMBER regex plus "has a digit"', () => {
    const NUMBER = /^[-+]?(?:\d{1,3}(?:,\d{3})+|\d+)?(?:\.\d+)?(?:[eE][-+]?\d+)?%?$/;
    const rnd = prng(17);
    const pieces = [...'0123456789012345678901234', ',', '.', 'e', 'E', '+', '-', '%', ' ', 'x'];
    let numbers = 0;
    for (let k = 0; k < 200_000; k++) {
      const s = randomText(rnd, pieces, 12);
      const want = NUMBER.test(s) && /\d/.test(s);
      numbers += want ? 1 : 0;
      assert.equal(isNumeric(s), want, JSON.stringify(s));
    }
    assert.ok(numbers > 10_000, `exercised: ${numbers} numbers`);
  });

  test('paddedTokens: the matches of the padded-base64 regex', () => {
    const B64 = /(?<![A-Za-z0-9+/])[A-Za-z0-9+/]{12,400}={1,2}(?![A-Za-z0-9+/=])/g;
    const rnd = prng(7);
    let found = 0;
    for (let k = 0; k < 5_000; k++) {
      let s = '';
      for (let part = Math.floor(rnd() * 6); part >= 0; part--) {
        const len = rnd() < 0.3 ? 8 + Math.floor(rnd() * 8) : Math.floor(rnd() * 420);
        for (let i = 0; i < len; i++) s += 'QUJDa0+/'[Math.floor(rnd() * 8)] ?? '';
        s += ['=', '==', '===', ' ', '-', '=x', ''][Math.floor(rnd() * 7)] ?? '';
      }
      const want: number[] = [];
      B64.lastIndex = 0;
      for (let m = B64.exec(s); m !== null; m = B64.exec(s)) want.push(m.index, B64.lastIndex);
      found += want.length / 2;
      assert.deepEqual(paddedTokens(s), want, JSON.stringify(s));
    }
    assert.ok(found > 500, `exercised: ${found} tokens`);
  });

  test('hasBracketWord / hasUrlEscape: the gates they replace', () => {
    const GATE = /[[({<]\s*(?:at|dot|AT|DOT|At|Dot)\s*[\])}>]/;
    const URL = /%[2-7][0-9A-Fa-f]/;
    const rnd = prng(3);
    const pieces = ['(', '[', '{', '<', ')', ']', '}', '>', ' ', '\t', '\u00a0', '\u2003'];
    pieces.push('at', 'dot', 'AT', 'DOT', 'At', 'Dot', 'aT', 'x', '%', '4', '0', 'f', 'G', '7');
    let hits = 0;
    for (let k = 0; k < 100_000; k++) {
      const s = randomText(rnd, pieces, 10);
      hits += GATE.test(s) ? 1 : 0;
      assert.equal(hasBracketWord(s), GATE.test(s), JSON.stringify(s));
      assert.equal(hasUrlEscape(s), URL.test(s), JSON.stringify(s));
    }
    assert.ok(hits > 500, `exercised: ${hits} bracketed words`);
  });

  test('percentOfMatches and statedTotal: the matches of the global regexes', () => {
    const PERCENT_OF =
      /(\d{1,3}(?:\.\d+)?)\s?%\s+(?:of\s+)?(?:the\s+)?(?:[a-z]+\s+){0,3}?\(?(?:n\s*=\s*|out of\s+|of\s+)(\d{1,3}(?:,\d{3})+|\d+)/gi;
    const TOTAL =
      /\b(?:[nN]|[tT]otal|TOTAL|[sS]ample size|[rR]espondents|[pP]atients|[pP]articipants)\s*[=:]\s*(\d{1,3}(?:,\d{3})+|\d+)\b/;
    const rnd = prng(11);
    const pieces = ['5% of 200', '2.5 % of the patients (n = 300)', '3% out of 70', '1.25%'];
    pieces.push('% of ', 'of 1,000', '1', '23', '4.5', '.', '1234', '%', ' %', ' ', '\u00a0');
    pieces.push('of', 'the', 'n', 'N', '=', ':', ' = ', '(', 'patients', 'Total', 'TOTAL');
    pieces.push('sample size', 'respondents', '1,234', '12,3456', 'x', 'n = 20', ',', '\t');
    let matches = 0;
    let totals = 0;
    for (let k = 0; k < 50_000; k++) {
      const s = randomText(rnd, pieces, 14);
      const want: [number, string][] = [];
      PERCENT_OF.lastIndex = 0;
      for (let m = PERCENT_OF.exec(s); m !== null; m = PERCENT_OF.exec(s))
        want.push([m.index, m[0]]);
      const got: [number, string][] = [];
      percentOfMatches(s, (m) => got.push([m.index, m[0]]) > 0);
      assert.deepEqual(got, want, JSON.stringify(s));
      matches += want.length;
      const t = TOTAL.exec(s);
      const v = t === null ? undefined : Number((t[1] ?? '').replace(/,/g, ''));
      totals += v === undefined ? 0 : 1;
      assert.equal(statedTotal(s), v !== undefined && v > 0 ? v : undefined, JSON.stringify(s));
    }
    assert.ok(matches > 1000 && totals > 1000, `exercised: ${matches} / ${totals}`);
  });

  test('nextTag: the matches of the table-tag regex', () => {
    const TAG = /<(\/?)(table|thead|tbody|tfoot|tr|td|th|caption)\b([^<>]*)>/gi;
    const rnd = prng(19);
    const pieces = ['<', '>', '/', 'td', 'TD', 'tr', 'th', 'thead', 'Table', 'caption', 'track'];
    pieces.push('tbody', 'tfoot', ' ', 'x', '1', '_', '=', '"', 'colspan="2"', '\u0130', '-');
    pieces.push('<td>', '</td>', '<TR>', '<th rowspan=2>', '<tdx>', '</ table>', '<caption');
    let tags = 0;
    for (let k = 0; k < 50_000; k++) {
      const s = randomText(rnd, pieces, 16);
      const want: [number, number, string, boolean, string][] = [];
      TAG.lastIndex = 0;
      for (let m = TAG.exec(s); m !== null; m = TAG.exec(s))
        want.push([m.index, TAG.lastIndex, (m[2] ?? '').toLowerCase(), m[1] === '/', m[3] ?? '']);
      const got: [number, number, string, boolean, string][] = [];
      for (let t = nextTag(s, 0); t !== undefined; t = nextTag(s, t.end))
        got.push([t.index, t.end, t.name, t.closing, t.attrs]);
      tags += want.length;
      assert.deepEqual(got, want, JSON.stringify(s));
    }
    assert.ok(tags > 20_000, `exercised: ${tags} tags`);
    const PLAIN_CELL = /^[\x20-\x25\x27-\x3b\x3d-\x7e\t\n\r]*$/;
    for (let c = 0; c < 0x3000; c++) {
      const s = `a${String.fromCharCode(c)}b`;
      assert.equal(plainCell(s), PLAIN_CELL.test(s), `U+${c.toString(16)}`);
    }
  });

  test('redact with a length limit is the prefix of the full redaction', () => {
    const text = 'a@b.cd x 4111 1111 1111 1111 y '.repeat(50);
    const spans: IdSpan[] = [];
    for (let i = 0; i < 50; i++) {
      const o = i * 31;
      spans.push({ rule: 'email', start: o, end: o + 6, masked: 'e' });
      spans.push({ rule: 'payment-card', start: o + 9, end: o + 28, masked: 'c' });
    }
    const full = redact(text, spans);
    for (const limit of [0, 1, 5, 17, 100, 999, full.length, full.length + 10])
      assert.equal(redact(text, spans, limit), full.slice(0, limit));
    assert.equal(redact('plain text', [], 5), 'plain');
  });

  test('text tables: a one-row table under a header line is still read; prose and logs are not', () => {
    const one = textTables('sex  count\nF  3', 'text/plain');
    assert.equal(one.length, 1);
    assert.deepEqual(one[0]?.cells, [['3']]);
    // A header whose last word ends in a digit ("x1 x2") is still a header.
    assert.equal(textTables('x1 x2\n5 7', 'text/plain').length, 1);
    const log = 'epoch=1 step=20 loss=0.5 rows/s 1200\nThe model converged after 12 iterations.\n';
    assert.equal(textTables(log.repeat(20), 'text/plain').length, 0);
  });
});
