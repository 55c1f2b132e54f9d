import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { parsePolicy } from '@privet/core';
import {
  openSourceEngine,
  QueryInterruptedError,
  QueryTimeoutError,
  runQuiet,
} from '../../../gateway/src/store/index.js';
import { freshStateDir } from './helpers.js';

function policyFor(columns: string, path = 'people.csv'): string {
  return `version: 1
name: t
sources:
  people:
    path: ${path}
    format: csv
    privacy_unit: id
    columns:
${columns}
views: {}
users: { sam: { name: Sam, roles: [steward] } }
budgets: []
retention: { derived_artefacts_days: 1, audit_log_days: 1 }
export: { require_review_for_flagged: true, images: review, small_cell_threshold: 10 }
`;
}

const COLUMNS = `      id: { type: integer, identifier: true }
      name: { type: string, identifier: true }
      born: { type: date }
      score: { type: number }
      ok: { type: boolean }`;

describe('openSourceEngine', () => {
  test('loads declared columns with canonical types, drops undeclared ones, then locks down', async () => {
    const dir = freshStateDir();
    try {
      writeFileSync(
        join(dir, 'people.csv'),
        'id,name,born,score,ok,secret\n1,Ann,1990-01-02,1.5,true,s1\n2,Bob,,2,false,s2\n',
      );
      const out = join(dir, 'out');
      mkdirSync(out);
      const engine = await openSourceEngine(parsePolicy(policyFor(COLUMNS)), dir, {
        allowedDirs: [out],
      });
      try {
        const src = engine.sources['people'];
        assert.equal(src?.rows, 2);
        assert.match(src?.hash ?? '', /^[0-9a-f]{64}$/);
        const desc = (await engine.connection.runAndReadAll('DESCRIBE people')).getRowObjectsJS();
        assert.deepEqual(
          desc.map((r) => [r['column_name'], r['column_type']]),
          [
            ['id', 'BIGINT'],
            ['name', 'VARCHAR'],
            ['born', 'DATE'],
            ['score', 'DOUBLE'],
            ['ok', 'BOOLEAN'],
          ],
        );
        await assert.rejects(
          engine.connection.run(`SELECT * FROM read_csv('/etc/passwd')`),
          /disabled by configuration|Permission/,
        );
        await assert.rejects(
          engine.connection.run(`SELECT * FROM read_csv('${join(dir, 'people.csv')}')`),
          /disabled by configuration|Permission/,
        );
        await assert.rejects(engine.connection.run('SET enable_external_access = true'), /locked/);
        const temp = await engine.connection.runAndReadAll(
          "SELECT current_setting('temp_directory') AS t",
        );
        assert.equal(temp.getRowObjectsJS()[0]?.['t'], '', 'raw rows never spill to disk');
        await engine.connection.run(
          `COPY (SELECT 1 AS a) TO '${join(out, 'x.parquet')}' (FORMAT parquet)`,
        );
        assert.ok(existsSync(join(out, 'x.parquet')));
      } finally {
        engine.close();
      }
    } finally {
      rmSync(dir, { recursive: true });
    }
  });

  test('runIsolated: a connection of its own, as locked down, stopped at its deadline or by its client', async () => {
    const dir = freshStateDir();
    try {
      writeFileSync(join(dir, 'people.csv'), 'id,name,born,score,ok\n1,Ann,1990-01-02,1.5,true\n');
      const engine = await openSourceEngine(parsePolicy(policyFor(COLUMNS)), dir);
      try {
        const rows = (await engine.runIsolated('SELECT count(*) AS n FROM people', 10_000))
          .getRowObjectsJS()
          .map((r) => Number(r['n']));
        assert.deepEqual(rows, [1], 'the loaded sources are visible to it');
        await assert.rejects(
          engine.runIsolated(`SELECT * FROM read_csv('${join(dir, 'people.csv')}')`, 10_000),
          /disabled by configuration|Permission/,
        );
        await assert.rejects(
          engine.runIsolated('SET enable_external_access = true', 10_000),
          /locked/,
        );
        // Far more work than 200 ms: interrupted, reported as a timeout.
        await assert.rejects(
          engine.runIsolated('SELECT sum(hash(i)) FROM range(100000000000) r(i)', 200),
          (e: Error) => e instanceof QueryTimeoutError && /longer than 200 ms/.test(e.message),
        );
        // Its client left: interrupted at once (long before its 60 s deadline), said so.
        const stop = new AbortController();
        const running = engine.runIsolated(
          'SELECT sum(hash(i)) FROM range(100000000000) r(i)',
          60_000,
          stop.signal,
        );
        setTimeout(() => stop.abort(), 100);
        await assert.rejects(running, (e: Error) => e instanceof QueryInterruptedError);
        await assert.rejects(
          engine.runIsolated('SELECT 1', 10_000, stop.signal),
          (e: Error) => e instanceof QueryInterruptedError,
          'an already stopped query is not started',
        );
        // The engine still answers afterwards, on its own connection and a new one.
        const again = await engine.runIsolated('SELECT count(*) AS n FROM people', 10_000);
        assert.equal(Number(again.getRowObjectsJS()[0]?.['n']), 1);
      } finally {
        engine.close();
      }
    } finally {
      rmSync(dir, { recursive: true });
    }
  });

  test('a missing declared column is named with the file', async () => {
    const dir = freshStateDir();
    try {
      writeFileSync(join(dir, 'people.csv'), 'id,name,born,score\n1,Ann,1990-01-02,1.5\n');
      await assert.rejects(openSourceEngine(parsePolicy(policyFor(COLUMNS)), dir), (err: Error) => {
        return (
          err.message.includes('column "ok"') &&
          err.message.includes(join(dir, 'people.csv')) &&
          err.message.includes('file has: id, name, born, score') &&
          /Fix:/.test(err.message)
        );
      });
      await assert.rejects(
        openSourceEngine(parsePolicy(policyFor(COLUMNS, 'nope.csv')), dir),
        /does not exist/,
      );
    } finally {
      rmSync(dir, { recursive: true });
    }
  });

  test('a CSV without a header row: its first row (raw values) is not quoted as column names', async () => {
    const dir = freshStateDir();
    try {
      writeFileSync(
        join(dir, 'people.csv'),
        '1001,Jane Doe,1990-01-02,1.5,true\n1002,Bob Roe,,2,false\n',
      );
      await assert.rejects(openSourceEngine(parsePolicy(policyFor(COLUMNS)), dir), (err: Error) => {
        assert.match(err.message, /probably has no header row/);
        for (const value of ['1001', 'Jane Doe', '1990-01-02'])
          assert.ok(!err.message.includes(value), `the error does not quote ${value}`);
        return true;
      });
    } finally {
      rmSync(dir, { recursive: true });
    }
  });

  test('values of the wrong type are counted, never quoted', async () => {
    const dir = freshStateDir();
    try {
      writeFileSync(
        join(dir, 'people.csv'),
        'id,name,born,score,ok\n1,Ann,1990-01-02,1.5,true\nSECRET-ID-77,Bob,1990-01-03,2,false\n',
      );
      await assert.rejects(openSourceEngine(parsePolicy(policyFor(COLUMNS)), dir), (err: Error) => {
        return /1 values of column "id"/.test(err.message) && !err.message.includes('SECRET-ID-77');
      });
    } finally {
      rmSync(dir, { recursive: true });
    }
  });

  test('values DuckDB would cast leniently are refused, plain ones of every type load', async () => {
    const dir = freshStateDir();
    /** Opens the engine on one data row after the header; the error, or the loaded row. */
    const load = async (row: string) => {
      writeFileSync(join(dir, 'people.csv'), `id,name,born,score,ok\n${row}\n`);
      try {
        const engine = await openSourceEngine(parsePolicy(policyFor(COLUMNS)), dir);
        try {
          const got = await engine.connection.runAndReadAll(
            'SELECT CAST(COLUMNS(*) AS VARCHAR) FROM people',
          );
          return got.getRowObjectsJS()[0];
        } finally {
          engine.close();
        }
      } catch (err) {
        return (err as Error).message;
      }
    };
    try {
      // The security review's values: 7.5 rounded to 8 and merged two people's ids into one token.
      const refused: [string, string][] = [
        ['7.5,Ann,1990-01-02,1.5,true', 'id'],
        ['0x10,Ann,1990-01-02,1.5,true', 'id'],
        ['1e1,Ann,1990-01-02,1.5,true', 'id'],
        ['1_1,Ann,1990-01-02,1.5,true', 'id'],
        ['1,Ann,1990-01-02 10:00:00,1.5,true', 'born'],
        ['1,Ann,20200101,1.5,true', 'born'],
        ['1,Ann,1990-01-02,inf,true', 'score'],
        ['1,Ann,1990-01-02,nan,true', 'score'],
        ['1,Ann,1990-01-02,1e400,true', 'score'],
        ['1,Ann,1990-01-02,"1,5",true', 'score'],
        ['1,Ann,1990-01-02,1.5,yes', 'ok'],
        ['1,Ann,1990-01-02,1.5,t', 'ok'],
      ];
      for (const [row, column] of refused)
        assert.match(
          String(await load(row)),
          new RegExp(`1 values of column "${column}" .* are not valid`),
          row,
        );
      assert.deepEqual(await load(' +42 ,Ann, 1990-01-02 ,-1e6,TRUE'), {
        id: '42',
        name: 'Ann',
        born: '1990-01-02',
        score: '-1000000.0',
        ok: 'true',
      });
      // pandas' forms: an integer column with gaps written as floats, dates as midnight timestamps.
      assert.deepEqual(await load('42.0,Cy,2024-02-29 00:00:00,3,False'), {
        id: '42',
        name: 'Cy',
        born: '2024-02-29',
        score: '3.0',
        ok: 'false',
      });
      assert.deepEqual(await load('-7,Bo,2024-02-29,.5,0'), {
        id: '-7',
        name: 'Bo',
        born: '2024-02-29',
        score: '0.5',
        ok: 'false',
      });
    } finally {
      rmSync(dir, { recursive: true });
    }
  });

  test('parquet columns of an incompatible type are refused', async () => {
    const dir = freshStateDir();
    try {
      const text = policyFor(`      id: { type: date }`)
        .replace('format: csv', 'format: parquet')
        .replace('people.csv', 'people.parquet');
      const { DuckDBInstance } = await import('@duckdb/node-api');
      const db = await DuckDBInstance.create(':memory:');
      const c = await db.connect();
      await c.run(
        `COPY (SELECT 1::INTEGER AS id) TO '${join(dir, 'people.parquet')}' (FORMAT parquet)`,
      );
      c.closeSync();
      db.closeSync();
      await assert.rejects(
        openSourceEngine(parsePolicy(text), dir),
        /type INTEGER, not compatible with declared type date/,
      );
    } finally {
      rmSync(dir, { recursive: true });
    }
  });

  test('DuckDB errors are re-worded: no raw value and no key bytes reach the message', async () => {
    const { DuckDBInstance } = await import('@duckdb/node-api');
    const db = await DuckDBInstance.create(':memory:');
    const c = await db.connect();
    try {
      const secret = 'a1b2c3d4e5f60718293a4b5c6d7e8f90';
      await assert.rejects(c.run(`SELECT CAST('${secret}' AS INTEGER)`), new RegExp(secret));
      await assert.rejects(
        runQuiet(
          c,
          `SELECT CAST('${secret}' AS INTEGER)`,
          'masking view "v"',
          'check the operators',
        ),
        (err: Error) => {
          return (
            !err.message.includes(secret) &&
            /masking view "v" failed \(Conversion Error;/.test(err.message) &&
            /Fix: check the operators/.test(err.message)
          );
        },
      );
    } finally {
      c.closeSync();
      db.closeSync();
    }
  });
});
