/**
 * Readers made faster for mixed-MIME outputs must read what they read before: the HTML table
 * reader's shortcut for `<td>`…`</tr>` without attributes (the same markup with each such tag
 * written `<td >`, which takes the general path, gives the same tables); JSON records read
 * straight into a table (against the grid-of-cells build they replaced, kept here); and the
 * attribute values `stripTags` sets aside, found from each '=' (against the plain regex loop).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { htmlTables } from '@privet/core/review/html-table';
import { scanJson } from '@privet/core/review/json-table';
import { stripTags } from '@privet/core/review/normalize';
import { show } from '@privet/core/review/json-value';
import { gridToTable, type GridCell, type Table } from '@privet/core/review/table';
import { prng, randomText } from './random-text.js';

const pick = <T>(rnd: () => number, xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T;

const TABLE_PIECES = ['<td>', '<TD>', '</td>', '</Td>', '<th>', '</th>', '<tr>', '</tR>', '<td >'];
TABLE_PIECES.push(
  '<td rowspan=2>',
  '<th colspan="2">',
  '<table>',
  '</table>',
  '<thead>',
  '</thead>',
);
TABLE_PIECES.push('<tbody>', '<caption>', '</caption>', '<b>', '</b>', '<br>', '<!-- <td> -->');
TABLE_PIECES.push('<svg>', '</svg>', '<math>', '<p>', '<script><td></script>', '<x title="<td>">');
TABLE_PIECES.push('<!x <td>>', '<td', '<tdx>', '<t>', '<tr/>', '3', 'n', 'count', ' ', '\n', 'a');
TABLE_PIECES.push('1,234', 'F', '&amp;', '<', '>', '</', '<td>2</td>', '<tr><th>n</th></tr>');

/** Every `<td>`…`</tr>` without attributes written with a space before its '>'. */
const spaced = (html: string): string => html.replace(/<(\/?)(t[dhr])>/gi, '<$1$2 >');

describe('faster readers read what the general ones read', () => {
  test('HTML tables: the shortcut for bare row and cell tags', () => {
    const rnd = prng(5151);
    let tables = 0;
    for (let k = 0; k < 4000; k++) {
      const html = randomText(rnd, TABLE_PIECES, 60);
      const fast = htmlTables(html, 'text/html');
      assert.deepEqual(fast, htmlTables(spaced(html), 'text/html'), JSON.stringify(html));
      tables += fast.length;
    }
    assert.ok(tables > 1000, `${tables} tables`);
  });

  test('JSON records: read straight into a table as the grid of cells gave it', () => {
    const rnd = prng(6262);
    const KEYS = ['group', 'n', 'mean', '', 'x', 'name', '__proto__', 'count'];
    const VALUES: unknown[] = ['a', 'g1', '', 3, 0, -2.5, 1e21, null, true, { v: 1 }, [1, 2]];
    let compared = 0;
    for (let k = 0; k < 3000; k++) {
      const n = 1 + Math.floor(rnd() * 70); // past 50: keys that only later records have
      const text = JSON.stringify(
        Array.from({ length: n }, () => {
          const entries = Array.from({ length: Math.floor(rnd() * 4) }, () => [
            pick(rnd, KEYS),
            rnd() < 0.7 ? Math.floor(rnd() * 1000) : pick(rnd, VALUES),
          ]);
          return Object.fromEntries(entries);
        }),
      ).replace(/"____proto__"/g, '"__proto__"');
      const value = JSON.parse(text) as unknown;
      const keyFields = rnd() < 0.3 ? [pick(rnd, KEYS)] : undefined;
      const scanned =
        keyFields === undefined
          ? scanJson('application/json', value).tables[0]
          : scanJson('application/json', {
              schema: {
                fields: keyFields.map((name) => ({ name, type: 'string' })),
                primaryKey: keyFields,
              },
              data: value,
            }).tables[0];
      const expected = gridRecordsTable(
        'application/json',
        value as Record<string, unknown>[],
        keyFields === undefined ? ' ' : scannedContext(scanned),
        keyFields,
      );
      assert.deepEqual(scanned, expected, text);
      if (expected !== undefined) compared++;
    }
    assert.ok(compared > 2000, `${compared} tables compared`);
  });

  test('stripTags: attribute values found from each = as by the regex loop', () => {
    const rnd = prng(7373);
    const PIECES = ['<p', '<td', '<a:b', '<x-y', '<1', ' ', '\t', '=', '"', "'", 'v', 'id', '>'];
    PIECES.push('<', '/', 'title', 'dir', 'rtl', '<br>', 'x=1', ' a="b"', "c='d'", '==', 'é');
    for (let k = 0; k < 20_000; k++) {
      const html = randomText(rnd, PIECES, 40);
      assert.equal(stripTags(html).attrs, attributesByRegex(html), JSON.stringify(html));
    }
  });
});

/** The context `scanJson` gives a dataresource table (read from the table, not recomputed). */
function scannedContext(t: Table | undefined): string {
  return t?.context ?? '';
}

// The JSON records reader as it was: a grid of cells, then `gridToTable`.
function gridRecordsTable(
  mime: string,
  rows: readonly unknown[],
  ctx: string,
  keyFields?: readonly string[],
): Table | undefined {
  const isRecord = (v: unknown): v is Record<string, unknown> =>
    typeof v === 'object' && v !== null && !Array.isArray(v);
  const recs = rows.filter(isRecord);
  if (recs.length === 0 || recs.length < rows.length) return undefined;
  const keys: string[] = [];
  for (const r of recs.slice(0, 50))
    for (const k of Object.keys(r)) if (!keys.includes(k)) keys.push(k);
  const textual = new Set(
    keys.filter((k) =>
      keyFields !== undefined ? keyFields.includes(k) : recs.every((r) => typeof r[k] !== 'number'),
    ),
  );
  const order = [...keys.filter((k) => textual.has(k)), ...keys.filter((k) => !textual.has(k))];
  const grid: GridCell[][] = [order.map((k) => ({ text: k, header: true }))];
  for (const r of recs) {
    const row = new Array<GridCell>(order.length);
    for (let c = 0; c < order.length; c++) {
      const v = r[order[c] ?? ''];
      row[c] = { text: show(v), header: typeof v === 'string' };
    }
    grid.push(row);
  }
  return gridToTable(mime, grid, 1, ctx, textual.size, keyFields !== undefined);
}

// The attribute values of normalize.ts's regex loop (style values are read as CSS, not kept).
const ATTR_TAG = /<[A-Za-z][\w:-]*\s([^<>]*=[^<>]*)>/g;
const ATTR = /([^\s=/"'<>]+)\s*=\s*("([^"]*)"|'([^']*)'|([^\s"'>]+))/g;
function attributesByRegex(html: string): string {
  if (html.indexOf('<') < 0) return '';
  const attrs: string[] = [];
  for (const t of html.matchAll(ATTR_TAG))
    for (const m of (t[1] ?? '').matchAll(ATTR))
      if ((m[1] ?? '').toLowerCase() !== 'style') attrs.push(m[3] ?? m[4] ?? m[5] ?? '');
  return attrs.join('\n');
}
