/**
 * More hand-written scans that replace a regex (or a slower reading) in the review engine's hot
 * paths, each compared with the definition it replaces on seeded random strings: they may only
 * skip work, never change a result.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { plausibleDateEnd } from '@privet/core/review/dates';
import { endsNumber } from '@privet/core/review/scan-util';
import { plausibleDate } from '@privet/core/review/validators';
import { parseCount } from '@privet/core/review/table';
import { COUNT_ROW, isCountRowLabel, lastPart, norm } from '@privet/core/review/labels';
import { cellText } from '@privet/core/review/html-tags';
import { normalize } from '@privet/core/review/normalize';
import { prng, randomText } from './random-text.js';

describe('hand scans equal what they replace', () => {
  test('plausibleDateEnd: the DATE regex, endsNumber and the plausibility checks', () => {
    const DATE = /(\d{4})([-/.])(\d{1,2})\2(\d{1,2})|(\d{1,2})([-/.])(\d{1,2})\6(\d{4})/y;
    const reference = (s: string, p: number): number => {
      DATE.lastIndex = p;
      const m = DATE.exec(s);
      if (m === null || !endsNumber(s, DATE.lastIndex)) return -1;
      const ok =
        m[1] !== undefined
          ? plausibleDate(+m[1], +(m[3] ?? 0), +(m[4] ?? 0))
          : plausibleDate(+(m[8] ?? 0), +(m[7] ?? 0), +(m[5] ?? 0)) ||
            plausibleDate(+(m[8] ?? 0), +(m[5] ?? 0), +(m[7] ?? 0));
      return ok ? DATE.lastIndex : -1;
    };
    const rnd = prng(31);
    const pieces = [...'0123456789012', '1985-03-12', '12/05/1990', '3.4.2001', '2024-2-29', '29'];
    pieces.push('-', '/', '.', '-', '/', '.', ' ', 'x', ':', '1900', '2031', '0000', '12', '31');
    let dates = 0;
    for (let k = 0; k < 60_000; k++) {
      const s = randomText(rnd, pieces, 8);
      for (let p = 0; p < s.length; p++) {
        const want = reference(s, p);
        dates += want > 0 ? 1 : 0;
        assert.equal(plausibleDateEnd(s, p), want, `date at ${p} of ${JSON.stringify(s)}`);
      }
    }
    assert.ok(dates > 2000, `exercised: ${dates} dates`);
  });

  test('plausibleDate: the calendar with a month-length table built per call', () => {
    const reference = (year: number, month: number, day: number): boolean => {
      if (year < 1900 || year > 2030 || month < 1 || month > 12 || day < 1) return false;
      const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
      const dim = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
      return day <= (dim[month - 1] ?? 0);
    };
    for (let year = 1890; year <= 2040; year++)
      for (let month = -1; month <= 14; month++)
        for (let day = -1; day <= 33; day++)
          assert.equal(plausibleDate(year, month, day), reference(year, month, day));
    assert.equal(plausibleDate(2000, 2.5, 3), false);
  });

  test('parseCount: Number of the COUNT regex matches (commas removed)', () => {
    const COUNT = /^[-+]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.0+)?$/;
    const reference = (t: string): number | undefined =>
      COUNT.test(t) ? Number(t.indexOf(',') < 0 ? t : t.replace(/,/g, '')) : undefined;
    const rnd = prng(37);
    const pieces = [...'01234567890123456789', ',', ',', '.', '0', '00', '-', '+', ' ', 'x', '%'];
    pieces.push('e', ',000', '9999999999', '12345678901234567');
    let counts = 0;
    for (let k = 0; k < 300_000; k++) {
      const s = randomText(rnd, pieces, 10);
      const want = reference(s);
      counts += want === undefined ? 0 : 1;
      assert.ok(Object.is(parseCount(s), want), JSON.stringify(s));
    }
    assert.ok(counts > 50_000, `exercised: ${counts} counts`);
  });

  test('isCountRowLabel: COUNT_ROW on the normalized label', () => {
    const rnd = prng(41);
    const pieces = ['count', 'Count', 'N', 'n', 'nobs', 'freq', 'Frequency', 'SIZE', 'obs', 'no.'];
    pieces.push(' observations', 'total', ' ', '\t', '\n', '\u00a0', '\u2003', 'x', '1', 'İ', 's');
    let rows = 0;
    for (let k = 0; k < 100_000; k++) {
      const s = randomText(rnd, pieces, 4);
      const want = COUNT_ROW.test(norm(s));
      rows += want ? 1 : 0;
      assert.equal(isCountRowLabel(s), want, JSON.stringify(s));
    }
    assert.ok(rows > 2000, `exercised: ${rows} count rows`);
  });

  test('norm and lastPart: the lower-casing, space collapsing and split they may skip', () => {
    const rnd = prng(47);
    const pieces = [
      'count',
      'N',
      'mean_cost',
      ' / ',
      '/',
      ' ',
      '  ',
      '\t',
      '\n',
      '\u00a0',
      '\u2003',
    ];
    pieces.push('İ', 'K', '\u212a', 'é', '%', '#', '~', '\u007f', '\u0080', '\ufeff', 'a-b', '');
    let unchanged = 0;
    for (let k = 0; k < 100_000; k++) {
      const s = randomText(rnd, pieces, 6);
      const want = s.toLowerCase().replace(/\s+/g, ' ').trim();
      unchanged += want === s ? 1 : 0;
      assert.equal(norm(s), want, JSON.stringify(s));
      assert.equal(lastPart(s), s.split(' / ').pop(), JSON.stringify(s));
    }
    assert.ok(unchanged > 5000, `exercised: ${unchanged} labels already normal`);
  });

  test('cellText: the trimmed slice, or the normalized markup with spaces collapsed', () => {
    const PLAIN = /^[\x20-\x25\x27-\x3b\x3d-\x7e\t\n\r]*$/;
    const reference = (raw: string): string =>
      raw.length < 40 && PLAIN.test(raw)
        ? raw.trim()
        : normalize(raw, { markup: true }).text.replace(/\s+/g, ' ').trim();
    const rnd = prng(43);
    const pieces = [' ', '\t', '\n', '\r', '\u00a0', 'ab', '12', '<b>', '</b>', '&amp;', '&', 'x'];
    pieces.push('\u000b', '\u000c', 'é', '  long text of a cell  ');
    for (let k = 0; k < 50_000; k++) {
      const raw = randomText(rnd, pieces, 8);
      const pad = 'q'.repeat(Math.floor(rnd() * 3));
      const src = `${pad}${raw}${pad}`;
      assert.equal(
        cellText(src, pad.length, pad.length + raw.length),
        reference(raw),
        JSON.stringify(raw),
      );
    }
  });
});
