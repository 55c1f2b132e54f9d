/**
 * The HTML table reader was made faster (row and cell tags without attributes read at once, cells
 * without spans kept as two fields, rows made with room for the cells of the row before): what
 * it reads must not change. Its tables on a fixed corpus (html-table-corpus.ts) were recorded
 * with the reader as it was before (fixtures/html-tables.json, one hash per case) and are
 * compared here, case by case. To record again after a change that is meant to change what is
 * read: `RECORD_HTML_TABLES=1 node scripts/run-tests.mjs test/core/review/html-tables-equal.test.ts`.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { htmlTables } from '@privet/core/review/html-table';
import { HTML_TABLE_CASES, htmlTableCase } from './html-table-corpus.js';

const FIXTURE = new URL('./fixtures/html-tables.json', import.meta.url);

/** One case as recorded: hashes of its markup and of the tables read, and how many tables. */
interface Recorded {
  markup: string;
  tables: string;
  count: number;
}

const hash = (s: string): string => createHash('sha256').update(s).digest('hex').slice(0, 16);

/** Reads case `k` with the reader as it is now (every partial read noted too). */
function read(k: number): Recorded {
  const html = htmlTableCase(k);
  const partial: string[] = [];
  const tables = htmlTables(html, 'text/html', (unread) => partial.push(unread));
  return {
    markup: hash(html),
    tables: hash(JSON.stringify([tables, partial])),
    count: tables.length,
  };
}

const now = Array.from({ length: HTML_TABLE_CASES }, (_, k) => read(k));
if (process.env.RECORD_HTML_TABLES === '1')
  writeFileSync(FIXTURE, `[\n${now.map((r) => JSON.stringify(r)).join(',\n')}\n]\n`);
const recorded = JSON.parse(readFileSync(FIXTURE, 'utf8')) as Recorded[];

describe('the HTML table reader reads what it read before it was made faster', () => {
  test('the corpus is the one recorded, and reads tables worth comparing', () => {
    assert.equal(recorded.length, HTML_TABLE_CASES);
    for (let k = 0; k < HTML_TABLE_CASES; k++)
      assert.equal(now[k]?.markup, recorded[k]?.markup, `case ${k}: the generator changed`);
    assert.ok(now.filter((r) => r.count >= 2).length > 50);
  });

  test('the tables are as recorded, case by case', () => {
    for (let k = 0; k < HTML_TABLE_CASES; k++) assert.deepEqual(now[k], recorded[k], `case ${k}`);
  });
});
