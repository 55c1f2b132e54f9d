/**
 * Result cells of every DuckDB type read exactly as DuckDB's own `CAST(x AS VARCHAR)` in the same
 * connection (duckdb-wasm's blocking Node build, locked down as the notebook engines lock theirs):
 * timestamps of every unit, dates, floats, integers, decimals and the rest, alone and as the leaves
 * of lists, structs and maps; and, with duckdb-wasm's `arrowLosslessConversion`, BIT and TIMETZ.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Table } from 'apache-arrow';
import * as duckdb from '@duckdb/duckdb-wasm/blocking';
import { DUCKDB_WASM_LOCKDOWN, toQueryResult } from '@privet/core/client/index';
import { DUCKDB_WASM_DIR, lockedNodeConnection } from '../../duckdb-node.js';

/** A connection's query, as the tests use it. */
type Connection = Awaited<ReturnType<typeof lockedNodeConnection>>;

/** A cell as shown beside DuckDB's own text for it, and the SQL it came from. */
interface Compared {
  sql: string;
  shown: string | null | undefined;
  cast: string | null | undefined;
}

/** The cells of a query's result, as the engines show them. */
function shownRows(conn: Connection, sql: string, maxRows = 100_000): (string | null)[][] {
  const table = conn.query(sql) as unknown as Table;
  return toQueryResult(table, { maxRows, elapsedMs: 0 }).rows;
}

/** Each expression's cell as shown, beside `CAST(x AS VARCHAR)` of the same value. */
function compareWithCast(conn: Connection, expressions: readonly string[]): Compared[] {
  return expressions.map((sql) => {
    const [row] = shownRows(conn, `SELECT ${sql} AS x, CAST(x AS VARCHAR) AS text`);
    return { sql, shown: row?.[0], cast: row?.[1] };
  });
}

/** The comparisons whose shown text is not DuckDB's. */
function mismatches(compared: readonly Compared[]): Compared[] {
  return compared.filter((c) => c.shown !== c.cast);
}

/** Scalar values of every type, with their awkward cases: fractions, BC, infinities, extremes. */
const SCALARS: readonly string[] = [
  // TIMESTAMP_NS keeps all nine digits; apache-arrow reads it as a rounded number of milliseconds.
  "TIMESTAMP_NS '2024-01-02 03:04:05.123456789'",
  "TIMESTAMP_NS '2024-01-02 03:04:05.000000001'",
  "TIMESTAMP_NS '2024-01-02 03:04:05.120000000'",
  "TIMESTAMP_NS '1969-12-31 23:59:59.999999999'",
  "TIMESTAMP_NS '1677-09-22 00:00:00.000000001'",
  "TIMESTAMP_NS '2262-04-11 23:47:16.854775806'",
  "TIMESTAMP_NS 'infinity'",
  "TIMESTAMP_NS '-infinity'",
  "TIMESTAMP_MS '2024-01-02 03:04:05.123'",
  "TIMESTAMP_MS '1969-12-31 23:59:59.001'",
  "TIMESTAMP_MS '-1000-01-01 00:00:00.001'",
  "TIMESTAMP_MS 'infinity'",
  "TIMESTAMP_S '1900-01-02 03:04:05'",
  "TIMESTAMP_S '-1000-01-01 00:00:01'",
  "TIMESTAMP_S '-infinity'",
  "TIMESTAMP '2024-01-02 03:04:05.000001'",
  "TIMESTAMP '1969-12-31 23:59:59.000001'",
  "TIMESTAMP '0001-01-01 00:00:00' - INTERVAL 1 DAY",
  "TIMESTAMP '-1000-01-01 12:00:00.25'",
  "TIMESTAMP '9999-12-31 23:59:59.999999'",
  "TIMESTAMP '10000-01-01 00:00:00'",
  "TIMESTAMP '294247-01-10 04:00:54.775806'",
  "TIMESTAMP '290309-12-22 (BC) 00:00:00'",
  "TIMESTAMP 'infinity'",
  "TIMESTAMP '-infinity'",
  "TIMESTAMPTZ '2024-01-02 03:04:05.5+02'",
  "TIMESTAMPTZ '1969-12-31 23:59:59.25+00'",
  "TIMESTAMPTZ '0044-03-15 (BC) 12:00:00'",
  "TIMESTAMPTZ 'infinity'",
  "TIMESTAMPTZ '-infinity'",
  "TIME '23:59:59.999999'",
  "TIME '24:00:00'",
  "TIME '00:00:00'",
  "DATE '1969-12-31'",
  "DATE '1900-02-28'",
  "DATE '0001-01-01' - 1",
  "DATE '-1000-01-01'",
  "DATE '10000-01-01'",
  "DATE '275760-09-14'",
  "DATE '5881580-07-10'",
  "DATE '5877642-06-25 (BC)'",
  "DATE 'infinity'",
  "DATE '-infinity'",
  "'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'::UUID",
  "'ffffffff-ffff-ffff-ffff-ffffffffffff'::UUID",
  '(-170141183460469231731687303715884105728)::HUGEINT',
  '-1::HUGEINT',
  '340282366920938463463374607431768211455::UHUGEINT',
  '255::UTINYINT',
  '65535::USMALLINT',
  '4294967295::UINTEGER',
  '18446744073709551615::UBIGINT',
  '(-128)::TINYINT',
  '(-9223372036854775808)::BIGINT',
  "'inf'::DOUBLE",
  "'-inf'::DOUBLE",
  "'nan'::DOUBLE",
  "'inf'::DOUBLE - 'inf'::DOUBLE",
  '-0.0::DOUBLE',
  '0.0::DOUBLE',
  '1.0::DOUBLE',
  '1e15::DOUBLE',
  '1e16::DOUBLE',
  '1e20::DOUBLE',
  '1e-4::DOUBLE',
  '1e-5::DOUBLE',
  '5e-324::DOUBLE',
  '1.7976931348623157e308::DOUBLE',
  '1/3::DOUBLE',
  "'inf'::FLOAT",
  "'-inf'::FLOAT",
  "-('nan'::FLOAT)",
  '-0.0::FLOAT',
  '0.1::FLOAT',
  '1.23456789::FLOAT',
  '16777217::FLOAT',
  '3.4028235e38::FLOAT',
  '1.4e-45::FLOAT',
  '0.00000000000000000000000000000000000001::DECIMAL(38,38)',
  "'-99999999999999999999999999999999999.999'::DECIMAL(38,3)",
  "'99999999999999999999999999999999999999'::DECIMAL(38,0)",
  '0.5::DECIMAL(3,3)',
  '-0.001::DECIMAL(3,3)',
  '-0.5::DECIMAL(18,3)',
  '1::DECIMAL(4,0)',
  "'a'::ENUM('a', 'b')",
  'true',
  'false',
  "'hello'",
  'union_value(num := 2)::UNION(num INT, str VARCHAR)',
  "union_value(str := 'x')::UNION(num INT, str VARCHAR)",
  "INTERVAL '1 year -1 day 00:00:00.000001'",
];

/** A leaf's text as the JSON of a nested value writes it: numbers bare, everything else quoted. */
function leafJson(text: string | null | undefined, bare: boolean): string {
  if (text === null || text === undefined) return 'null';
  return bare ? text : JSON.stringify(text);
}

/** Leaves for nested values: SQL, and whether the JSON writes the leaf as a bare number. */
const LEAVES: readonly [string, boolean][] = [
  ["INTERVAL '1 year 2 months 3 days 00:00:01.5'", false],
  ["INTERVAL '-1 day 1 microsecond'", false],
  ['INTERVAL 0 DAY', false],
  ["TIMESTAMP_NS '2024-01-02 03:04:05.123456789'", false],
  ["TIMESTAMP_NS '1969-12-31 23:59:59.999999999'", false],
  ["TIMESTAMP 'infinity'", false],
  ["TIMESTAMP '-1000-01-01 12:00:00.25'", false],
  ["TIMESTAMPTZ '2024-01-02 03:04:05.5+02'", false],
  ["DATE '10000-01-01'", false],
  ["DATE '-infinity'", false],
  ["TIME '10:11:12.5'", false],
  ["'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'::UUID", false],
  ["'a'::ENUM('a', 'b')", false],
  ["'\\x00\\xFFab'::BLOB", false],
  ["'x\"y'", false],
  ['9007199254740993::BIGINT', true],
  ['18446744073709551615::UBIGINT', true],
  ['(-170141183460469231731687303715884105728)::HUGEINT', true],
  ['-0.05::DECIMAL(18,3)', true],
  ['1.0::DOUBLE', true],
  ['1e-5::DOUBLE', true],
  ['-0.0::DOUBLE', true],
  ['0.1::FLOAT', true],
  ["'inf'::DOUBLE", false],
  ["'inf'::DOUBLE - 'inf'::DOUBLE", false],
  ['true', true],
  ['NULL::INTEGER', false],
];

/** Each leaf inside a list, a struct, a list of structs, a map's value and a map's key, as shown. */
function nestedMismatches(conn: Connection): Compared[] {
  const found: Compared[] = [];
  for (const [leaf, bare] of LEAVES) {
    const sql =
      `SELECT [x, NULL] AS l, {'f': x} AS s, [{'f': [x]}] AS ls, MAP {'k': x} AS m, ` +
      `CASE WHEN x IS NULL THEN NULL ELSE MAP {x: 1} END AS k, CAST(x AS VARCHAR) AS text ` +
      `FROM (SELECT ${leaf} AS x)`;
    const [row = []] = shownRows(conn, sql);
    const [l, s, ls, m, k, text] = row;
    const json = leafJson(text, bare);
    const expected = [
      `[${json},null]`,
      `{"f":${json}}`,
      `[{"f":[${json}]}]`,
      `{"k":${json}}`,
      text === null || text === undefined ? null : `{${JSON.stringify(text)}:1}`,
    ];
    [l, s, ls, m, k].forEach((shown, i) => {
      if (shown !== expected[i]) found.push({ sql: `${leaf} (${i})`, shown, cast: expected[i] });
    });
  }
  return found;
}

/** Float bit patterns from a fixed-seed generator: every exponent, subnormals included. */
function floatLiterals(count: number): { singles: string[]; doubles: string[] } {
  let seed = 20240102;
  const next = (): number => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return seed;
  };
  const single = new Float32Array(1);
  const singleBits = new Uint32Array(single.buffer);
  const double = new Float64Array(1);
  const doubleBits = new Uint32Array(double.buffer);
  const singles: string[] = [];
  const doubles: string[] = [];
  for (let i = 0; i < count; i++) {
    singleBits[0] = (next() ^ (next() << 16)) >>> 0;
    doubleBits[0] = (next() ^ (next() << 16)) >>> 0;
    doubleBits[1] = (next() ^ (next() << 16)) >>> 0;
    if (Number.isFinite(single[0])) singles.push(`('${single[0]}'::FLOAT)`);
    if (Number.isFinite(double[0])) doubles.push(`('${double[0]}'::DOUBLE)`);
  }
  for (let e = -149; e < 128; e += 3) singles.push(`('${2 ** e}'::FLOAT)`);
  for (let e = -1074; e < 1024; e += 7) doubles.push(`('${2 ** e}'::DOUBLE)`);
  return { singles, doubles };
}

/** A new in-memory database opened with duckdb-wasm's `arrowLosslessConversion`, locked down. */
async function losslessConnection(): Promise<Connection> {
  const bundles: duckdb.DuckDBBundles = {
    mvp: { mainModule: `${DUCKDB_WASM_DIR}/duckdb-mvp.wasm`, mainWorker: '' },
    eh: { mainModule: `${DUCKDB_WASM_DIR}/duckdb-eh.wasm`, mainWorker: '' },
  };
  const db = await duckdb.createDuckDB(bundles, new duckdb.VoidLogger(), duckdb.NODE_RUNTIME);
  await db.instantiate();
  db.open({ arrowLosslessConversion: true });
  const conn = db.connect();
  for (const statement of DUCKDB_WASM_LOCKDOWN) conn.query(statement);
  return conn;
}

describe('result cells as DuckDB writes them', () => {
  it('shows every scalar type as its VARCHAR cast, to the nanosecond and past year 9999', async () => {
    const conn = await lockedNodeConnection();
    assert.deepEqual(mismatches(compareWithCast(conn, SCALARS)), []);
    // A NULL of each kind stays NULL.
    const nulls = shownRows(
      conn,
      'SELECT NULL::TIMESTAMP_NS, NULL::DATE, NULL::FLOAT, NULL::DECIMAL(3,3), NULL::UUID',
    );
    assert.deepEqual(nulls, [[null, null, null, null, null]]);
    conn.close();
  });

  it("writes floats with DuckDB's own digits across random bit patterns", async () => {
    const conn = await lockedNodeConnection();
    const { singles, doubles } = floatLiterals(3000);
    for (const values of [singles, doubles]) {
      const rows = shownRows(conn, `SELECT x, CAST(x AS VARCHAR) FROM (VALUES ${values}) v(x)`);
      assert.equal(rows.length, values.length);
      // Where DuckDB's {fmt} slips (a FLOAT with its double's digits, a doubled power of two),
      // the text differs; it must still be the same value, read back by DuckDB itself.
      const wrong = rows.flatMap(([shown, cast], i) => {
        if (shown === cast) return [];
        const [same] = shownRows(
          conn,
          `SELECT CAST('${shown}' AS ${values === singles ? 'FLOAT' : 'DOUBLE'}) = x FROM (VALUES ${values[i]}) v(x)`,
        );
        return same?.[0] === 'true' ? [] : [[shown, cast]];
      });
      assert.deepEqual(wrong, []);
    }
    conn.close();
  });

  it("shows the value itself where DuckDB's float printing slips", async () => {
    const conn = await lockedNodeConnection();
    // {fmt} 6.1.2 doubles a power of two from 2^53 up, and gives some FLOATs their double's digits.
    const [row] = shownRows(conn, 'SELECT pow(2.0, 81), 21516.3125::FLOAT, 0.1::FLOAT');
    assert.deepEqual(row, ['2.4178516392292583e+24', '21516.313', '0.1']);
    conn.close();
  });

  it('writes the leaves of lists, structs and maps as their VARCHAR cast, as JSON', async () => {
    const conn = await lockedNodeConnection();
    assert.deepEqual(nestedMismatches(conn), []);
    const nulls = shownRows(
      conn,
      "SELECT [[NULL], NULL, [1]], {'a': NULL, 'b': {'c': NULL}}, MAP {1: NULL, 2: 'x'}, " +
        '[1, 2]::INT[2], [union_value(num := 2)::UNION(num INT, str VARCHAR)], ' +
        "MAP {1.5::DOUBLE: [DATE '2024-01-01']}",
    );
    assert.deepEqual(nulls, [
      [
        '[[null],null,[1]]',
        '{"a":null,"b":{"c":null}}',
        '{"1":null,"2":"x"}',
        '[1,2]',
        '[2]',
        '{"1.5":["2024-01-01"]}',
      ],
    ]);
    conn.close();
  });

  it('reads intervals inside lists and structs across the record batches of a long result', async () => {
    // More rows than one DuckDB vector (2048): several chunks, each list's items found by offsets.
    const conn = await lockedNodeConnection();
    const rows = shownRows(
      conn,
      'SELECT CASE WHEN x % 5 = 0 THEN NULL ELSE [INTERVAL (x) DAY, NULL, INTERVAL (-x) SECOND] END, ' +
        "{'i': INTERVAL (x) MONTH + INTERVAL (x) MICROSECOND}, " +
        'CAST(INTERVAL (x) DAY AS VARCHAR), CAST(INTERVAL (-x) SECOND AS VARCHAR), ' +
        'CAST(INTERVAL (x) MONTH + INTERVAL (x) MICROSECOND AS VARCHAR) FROM range(5000) r(x)',
    );
    assert.equal(rows.length, 5000);
    const wrong = rows.filter(([list, struct, days, seconds, months], x) => {
      const expected =
        x % 5 === 0 ? null : `[${JSON.stringify(days)},null,${JSON.stringify(seconds)}]`;
      return list !== expected || struct !== `{"i":${JSON.stringify(months)}}`;
    });
    assert.deepEqual(wrong, []);
    assert.equal(rows[4999]![0], '["4999 days",null,"-01:23:19"]');
    conn.close();
  });

  it('shows BIT, TIMETZ, HUGEINT and UUID exactly when duckdb-wasm exports them losslessly', async () => {
    // By default duckdb-wasm sends BIT as a plain blob and TIMETZ without its offset; with
    // arrowLosslessConversion they arrive as DuckDB's own opaque types, which cell text decodes.
    // (Not BOOLEAN: duckdb-wasm 1.32 declares it arrow.bool8 but sends bit-packed bits.)
    const conn = await losslessConnection();
    const compared = compareWithCast(conn, [
      "'10101'::BIT",
      "'1'::BIT",
      "'0000000011'::BIT",
      "TIMETZ '12:34:56+05:30'",
      "TIMETZ '12:34:56.789-08'",
      "TIMETZ '00:00:00+15:59:59'",
      "TIMETZ '24:00:00-15:59'",
      "TIMETZ '12:34:56+00'",
      '(-170141183460469231731687303715884105728)::HUGEINT',
      '-1::HUGEINT',
      "'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'::UUID",
      '340282366920938463463374607431768211455::UHUGEINT',
    ]);
    assert.deepEqual(mismatches(compared), []);
    const nested = shownRows(
      conn,
      "SELECT [TIMETZ '01:02:03+01'], {'b': '101'::BIT}, [-5::HUGEINT]",
    );
    assert.deepEqual(nested, [['["01:02:03+01"]', '{"b":"101"}', '[-5]']]);
    conn.close();
  });
});

describe('nested values read from their raw buffers', () => {
  /** A MONTH_DAY_NANO interval list column: [[14 months, 3 days], NULL, [-1 day -1 µs]]. */
  function intervalLists(childOffset: number): Parameters<typeof toQueryResult>[0] {
    const intervalType = { typeId: 11, unit: 2 };
    const child = {
      offset: childOffset,
      length: 2,
      values: Int32Array.from([14, 3, 0, 0, 0, -1, -1000, -1]),
      nullBitmap: new Uint8Array(0),
    };
    const list = {
      offset: 0,
      length: 3,
      valueOffsets: Int32Array.from([0, 1, 1, 2]),
      nullBitmap: Uint8Array.of(0b101),
      children: [child],
    };
    const decoded = [[Int32Array.of(1, 2)], null, [Int32Array.of(0, -1)]];
    return {
      numRows: 3,
      schema: {
        fields: [
          { name: 'l', type: { typeId: 12, children: [{ name: 'item', type: intervalType }] } },
        ],
      },
      getChildAt: () => ({ data: [list], get: (row: number) => decoded[row] ?? null }),
    };
  }

  it('finds a list item by its offsets in the unsliced child, and never guesses a sliced one', () => {
    assert.deepEqual(toQueryResult(intervalLists(0), { maxRows: 10, elapsedMs: 0 }).rows, [
      ['["1 year 2 months 3 days"]'],
      [null],
      ['["-1 day -00:00:00.000001"]'],
    ]);
    // apache-arrow 17 slices MONTH_DAY_NANO buffers with the wrong stride: a child whose offset is
    // not 0 may be such a slice, so its intervals stay a placeholder.
    assert.deepEqual(toQueryResult(intervalLists(1), { maxRows: 1, elapsedMs: 0 }).rows, [
      ['["(interval)"]'],
    ]);
  });
});
