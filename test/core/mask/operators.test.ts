import { test, describe, after } from 'node:test';
import assert from 'node:assert/strict';
import type { MaskOperator, SourceColumn } from '@privet/core';
import {
  compileOperator,
  describeOperator,
  matchesFormat,
  sqlString,
} from '@privet/core/mask/index';
import { memoryDb, column } from './duckdb.js';

/** Applies one operator to literal values in DuckDB; checks every output against the format both in SQL and JS. */
async function apply(
  c: Awaited<ReturnType<typeof memoryDb>>['c'],
  op: MaskOperator,
  type: SourceColumn['type'],
  values: (string | number | null)[],
): Promise<unknown[]> {
  const compiled = compileOperator('v', op, type, new Uint8Array(32).fill(1));
  assert.ok(compiled);
  const sqlType = {
    string: 'VARCHAR',
    integer: 'BIGINT',
    number: 'DOUBLE',
    date: 'DATE',
    boolean: 'BOOLEAN',
  }[type];
  const rows = values
    .map(
      (v) =>
        `(CAST(${v === null ? 'NULL' : typeof v === 'number' ? String(v) : sqlString(v)} AS ${sqlType}))`,
    )
    .join(', ');
  const from = `(VALUES ${rows}) t(v)`;
  const out = await column(c, `SELECT ${compiled.sql} FROM ${from}`);
  if (compiled.format) {
    const fmt = compiled.format;
    const bad = await column(
      c,
      `SELECT count(*) FROM (SELECT ${compiled.sql} AS m FROM ${from}) WHERE m IS NOT NULL AND NOT regexp_full_match(m, ${sqlString(fmt)})`,
    );
    assert.equal(Number(bad[0]), 0, `SQL format check of ${compiled.operator}`);
    for (const m of out)
      if (m !== null) assert.ok(matchesFormat(fmt, String(m)), `${String(m)} !~ ${fmt}`);
  }
  values.forEach((v, i) => {
    if (v === null) assert.equal(out[i], null, 'NULL stays NULL');
  });
  return out;
}

function randomStrings(n: number): string[] {
  const alphabet = 'abcXYZ019 -_.@+()é東👍\'"\\*';
  const chars = [...alphabet];
  const bytes = globalThis.crypto.getRandomValues(new Uint8Array(n * 16));
  return Array.from({ length: n }, (_, i) => {
    const len = (bytes[i * 16] ?? 0) % 15;
    let s = '';
    for (let j = 1; j <= len; j++) s += chars[(bytes[i * 16 + j] ?? 0) % chars.length];
    return s;
  });
}

describe('masking operators compiled to DuckDB SQL', async () => {
  const db = await memoryDb();
  after(() => db.close());
  const fuzz = randomStrings(300);

  test('keep publishes every zero of a number column as 0.0 (DuckDB groups -0.0 with 0.0 but prints them apart)', async () => {
    const out = await apply(db.c, { op: 'keep' }, 'number', [0, '-0.0', -1.5, null, 2.25]);
    const compiled = compileOperator('v', { op: 'keep' }, 'number');
    assert.ok(compiled);
    const printed = await column(
      db.c,
      `SELECT CAST(${compiled.sql} AS VARCHAR) FROM (VALUES (CAST('-0.0' AS DOUBLE)), (0.0::DOUBLE)) t(v)`,
    );
    assert.deepEqual(printed, ['0.0', '0.0'], 'one class prints as one value');
    assert.ok(
      out.every((v) => v === null || !Object.is(v, -0)),
      'no negative zero published',
    );
    assert.deepEqual(out.slice(2), [-1.5, null, 2.25], 'other values unchanged');
  });

  test('mask_email keeps the first char of local part and domain and the TLD', async () => {
    const out = await apply(db.c, { op: 'mask_email' }, 'string', [
      'jane.doe@example.com',
      'x@y.co.uk',
      'not-an-email',
      'a@b',
      null,
      ...fuzz,
    ]);
    assert.deepEqual(out.slice(0, 5), ['j***@e***.com', 'x***@y***.uk', '***', 'a***@b***', null]);
  });

  test('mask_phone stars every digit but the last N, keeping separators', async () => {
    const op: MaskOperator = { op: 'mask_phone', keep_last: 2 };
    const out = await apply(db.c, op, 'string', [
      '(555) 123-4567',
      '+1 555 0100 x',
      '7',
      '',
      null,
      ...fuzz,
    ]);
    assert.deepEqual(out.slice(0, 5), ['(***) ***-**67', '+* *** **00 x', '*', '', null]);
    // Fewer digits than twice those kept: every digit is starred (else "4521" would pass whole).
    const short = await apply(db.c, { op: 'mask_phone', keep_last: 4 }, 'string', [
      '4521',
      '12',
      '555-0199',
      '(555) 123-4567',
    ]);
    assert.deepEqual(short, ['****', '**', '***-****', '(***) ***-4567']);
    const none = await apply(db.c, { op: 'mask_phone' }, 'string', ['555-0199', ...fuzz]);
    assert.equal(none[0], '***-****');
    // Text that is not a phone number is replaced whole, never masked digit by digit.
    const notes = await apply(db.c, op, 'string', [
      '555-0199 (Jane Roe, mobile)',
      'ask Jane Roe at reception',
      'n/a - see jane.roe@example.com',
      '+1 (555) 010-4477 ext. 12',
      '020 7946 0958 #3',
    ]);
    assert.deepEqual(notes, ['***', '***', '***', '+* (***) ***-**** ext. 12', '*** **** ***8 #3']);
  });

  test('mask_chars keeps first/last characters; short values become all stars', async () => {
    const out = await apply(db.c, { op: 'mask_chars', keep_first: 1, keep_last: 2 }, 'string', [
      '123-45-6789',
      'Zoë',
      'ab',
      '',
      null,
      ...fuzz,
    ]);
    assert.deepEqual(out.slice(0, 5), ['1********89', '***', '**', '', null]);
  });

  test('mask_chars stars a whole value in which fewer characters would be starred than kept', async () => {
    const op: MaskOperator = { op: 'mask_chars', keep_first: 4, keep_last: 4 };
    // A 9-digit SSN with 4 + 4 kept would show 8 of its digits.
    const out = await apply(db.c, op, 'string', [
      '123456789',
      '1234567',
      '12345678',
      'ABCD1234567890WXYZ',
    ]);
    assert.deepEqual(out, ['*********', '*******', '********', 'ABCD**********WXYZ']);
    // The format the written file is checked against refuses a value showing more than it stars.
    const format = compileOperator('v', op, 'string')!.format!;
    assert.equal(matchesFormat(format, '1234*5678'), false);
    assert.equal(matchesFormat(format, '1234***5678'), false);
    assert.equal(matchesFormat(format, 'ABCD****WXYZ'), false, 'four stars for eight kept');
    assert.equal(matchesFormat(format, 'ABCD********WXYZ'), true);
    assert.equal(matchesFormat(format, '*********'), true);
  });

  test('a kept line break passes the format check of mask_chars and prefix', async () => {
    const chars = await apply(db.c, { op: 'mask_chars', keep_first: 2, keep_last: 0 }, 'string', [
      'a\nbcdefgh',
    ]);
    assert.deepEqual(chars, ['a\n*******']);
    const prefix = await apply(db.c, { op: 'prefix', keep: 3 }, 'string', ['a\nbcd']);
    assert.deepEqual(prefix, ['a\nb**']);
  });

  test('date_trunc to year and month', async () => {
    assert.deepEqual(
      await apply(db.c, { op: 'date_trunc', to: 'year' }, 'date', ['2025-03-14', null]),
      ['2025', null],
    );
    assert.deepEqual(
      await apply(db.c, { op: 'date_trunc', to: 'month' }, 'date', ['2025-03-14', '1999-12-31']),
      ['2025-03', '1999-12'],
    );
  });

  test('age_band computes exact age on as_of, bands and top-codes it', async () => {
    const op: MaskOperator = { op: 'age_band', as_of: '2026-01-01', width: 10, top: 80 };
    const out = await apply(db.c, op, 'date', [
      '2016-01-01',
      '2016-01-02',
      '1990-06-30',
      '1946-01-01',
      '1946-01-02',
      '1900-01-01',
      '2026-01-02',
      null,
    ]);
    assert.deepEqual(out, ['10-19', '0-9', '30-39', '80+', '70-79', '80+', '<0', null]);
    const narrow = await apply(db.c, { op: 'age_band', as_of: '2024-02-29', width: 1 }, 'date', [
      '2000-02-29',
      '2000-03-01',
    ]);
    assert.deepEqual(narrow, ['24', '23']);
    const unaligned = await apply(
      db.c,
      { op: 'age_band', as_of: '2026-01-01', width: 10, top: 85 },
      'date',
      ['1944-01-01', '1941-01-01'],
    );
    assert.deepEqual(unaligned, ['80-84', '85+']);
  });

  test('prefix keeps N characters and pads with stars', async () => {
    const out = await apply(db.c, { op: 'prefix', keep: 3 }, 'string', [
      '02139',
      '94',
      '東京都港区',
      null,
      ...fuzz,
    ]);
    assert.deepEqual(out.slice(0, 4), ['021**', '94', '東京都**', null]);
  });

  test('numeric_range bins with bottom and top coding, exact decimal edges', async () => {
    const op: MaskOperator = { op: 'numeric_range', width: 25000, bottom: 0, top: 200000 };
    const out = await apply(db.c, op, 'integer', [
      0,
      24999,
      25000,
      199999,
      200000,
      500000,
      -1,
      null,
    ]);
    assert.deepEqual(out, [
      '[0,25000)',
      '[0,25000)',
      '[25000,50000)',
      '[175000,200000)',
      '>=200000',
      '>=200000',
      '<0',
      null,
    ]);
    const dec = await apply(
      db.c,
      { op: 'numeric_range', width: 0.5, bottom: 0.25 },
      'number',
      [0.25, 0.74, 0.75, 3.1, 0.2],
    );
    assert.deepEqual(dec, ['[0.25,0.75)', '[0.25,0.75)', '[0.75,1.25)', '[2.75,3.25)', '<0.25']);
    const open = await apply(db.c, { op: 'numeric_range', width: 10 }, 'integer', [-15, 5]);
    assert.deepEqual(open, ['[-20,-10)', '[0,10)']);
    const capped = await apply(
      db.c,
      { op: 'numeric_range', width: 30, top: 50 },
      'integer',
      [40, 55],
    );
    assert.deepEqual(capped, ['[30,50)', '>=50']);
  });

  test('numeric_range puts every two-decimal value in the bin that starts at it', async () => {
    const values = Array.from({ length: 10_000 }, (_, i) => i / 100);
    const out = await apply(db.c, { op: 'numeric_range', width: 0.01 }, 'number', values);
    const wrong = values.filter((x, i) => out[i] !== `[${x.toFixed(2)},${(x + 0.01).toFixed(2)})`);
    assert.deepEqual(wrong, [], 'values labelled with a bin that does not hold them');
    const coded = await apply(
      db.c,
      { op: 'numeric_range', width: 0.01, bottom: 0.29 },
      'number',
      [0.29, 0.28],
    );
    assert.deepEqual(coded, ['[0.29,0.30)', '<0.29']);
  });

  test('keep casts to the canonical type; drop publishes nothing', async () => {
    assert.deepEqual(await apply(db.c, { op: 'keep' }, 'integer', [5, null]), [5n, null]);
    assert.equal(compileOperator('v', { op: 'drop' }, 'string'), undefined);
  });

  test('token needs a key and yields 32 lower-case hex chars', async () => {
    assert.throws(() => compileOperator('v', { op: 'token' }, 'string'), /needs a derived key/);
    const out = await apply(db.c, { op: 'token', join_group: 'patient' }, 'string', [
      'a',
      '',
      null,
      ...fuzz,
    ]);
    for (const t of out.filter((x) => x !== null)) assert.match(String(t), /^[0-9a-f]{32}$/);
  });

  test('descriptions name the operator and its parameters', () => {
    assert.equal(
      describeOperator({ op: 'token', join_group: 'patient' }),
      'token(join_group=patient)',
    );
    assert.equal(describeOperator({ op: 'keep' }), 'keep');
    assert.equal(
      describeOperator({ op: 'age_band', as_of: '2026-01-01', width: 10, top: 80 }),
      'age_band(as_of=2026-01-01, width=10, top=80)',
    );
  });

  test('numeric_range refuses more than 6 decimals', () => {
    assert.throws(
      () => compileOperator('v', { op: 'numeric_range', width: 0.0000001 }, 'number'),
      /at most 6 decimals/,
    );
  });
});
