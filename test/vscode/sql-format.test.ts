/**
 * Result cells of the notebook SQL engines (core's toQueryResult, as the VS Code engine uses it):
 * timestamps with fractions of a second and times of day read as SQL writes them.
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { Table } from 'apache-arrow';
import { toQueryResult } from '@privet/core/client/index';
import { SqlEngine } from '../../vscode-ext/src/sql/engine.js';
import { DUCKDB_WASM_DIR as wasmDir, lockedNodeConnection } from '../duckdb-node.js';

it('shows timestamps with fractions and times of day as SQL text', async () => {
  const engine = new SqlEngine(wasmDir);
  const result = await engine.query(
    "SELECT TIMESTAMP '2024-01-02 03:04:05.123456' AS a, TIMESTAMP '1969-12-31 23:59:59.5' AS b, " +
      "TIMESTAMP '2024-01-02 03:04:05' AS c, TIME '10:11:12.5' AS d, TIME '00:00:07' AS e",
  );
  assert.deepEqual(result.rows, [
    [
      '2024-01-02 03:04:05.123456',
      '1969-12-31 23:59:59.5',
      '2024-01-02 03:04:05',
      '10:11:12.5',
      '00:00:07',
    ],
  ]);
});

/** Each row's first column as shown, beside DuckDB's own `CAST(x AS VARCHAR)` in the second. */
async function shownAndCast(
  engine: SqlEngine,
  values: string,
): Promise<[string | null, string | null][]> {
  const result = await engine.query(`SELECT x, CAST(x AS VARCHAR) FROM (VALUES ${values}) v(x)`);
  return result.rows.map((r) => [r[0] ?? null, r[1] ?? null]);
}

it('shows decimals, big sums and 128-bit integers exactly', async () => {
  const engine = new SqlEngine(wasmDir);
  const result = await engine.query(
    'SELECT 123.45::DECIMAL(38,2) a, -0.05::DECIMAL(38,3) b, ' +
      "'-12345678901234567890.123456789'::DECIMAL(38,9) c, 1.5::DECIMAL(4,1) d, " +
      "'99999999999999999999999999999999999999'::DECIMAL(38,0) e, -7::DECIMAL(18,0) f, " +
      'NULL::DECIMAL(38,2) g',
  );
  assert.deepEqual(result.rows, [
    [
      '123.45',
      '-0.050',
      '-12345678901234567890.123456789',
      '1.5',
      '99999999999999999999999999999999999999',
      '-7',
      null,
    ],
  ]);
  // sum() of a BIGINT is a HUGEINT; beyond 2^53 a double would round it.
  const sums = await engine.query(
    'SELECT sum(x), sum(-x), typeof(sum(x)) FROM (VALUES (9007199254740993), (4611686018427387930), ' +
      '(4611686018427387937)) v(x)',
  );
  assert.deepEqual(sums.rows, [['9232379236109516860', '-9232379236109516860', 'HUGEINT']]);
  const huge = await engine.query(
    'SELECT 170141183460469231731687303715884105727::HUGEINT a, ' +
      '(-170141183460469231731687303715884105727)::HUGEINT b, -1::HUGEINT c, ' +
      '340282366920938463463374607431768211455::UHUGEINT d, 18446744073709551616::UHUGEINT e, ' +
      'NULL::HUGEINT f, NULL::UHUGEINT g, 9223372036854775807::BIGINT h',
  );
  assert.deepEqual(huge.rows, [
    [
      '170141183460469231731687303715884105727',
      '-170141183460469231731687303715884105727',
      '-1',
      '340282366920938463463374607431768211455',
      '18446744073709551616',
      null,
      null,
      '9223372036854775807',
    ],
  ]);
});

it('writes decimals inside structs, lists and maps exactly, other leaves by their type', async () => {
  const engine = new SqlEngine(wasmDir);
  const result = await engine.query(
    "SELECT {'a': 1.5::DECIMAL(5,1), 'b': 'x', 'n': NULL::INT} s, " +
      "[1.25::DECIMAL(5,2), -3, NULL] l, MAP {'k': -0.5::DECIMAL(3,1)} m, " +
      "{'t': DATE '2024-01-02', 'v': 'x'::BLOB, 'h': 2::HUGEINT} d, [['a'], ['b']] ll",
  );
  assert.deepEqual(result.rows, [
    [
      '{"a":1.5,"b":"x","n":null}',
      '[1.25,-3.00,null]',
      '{"k":-0.5}',
      '{"t":"2024-01-02","v":"x","h":2}',
      '[["a"],["b"]]',
    ],
  ]);
});

it('shows intervals as DuckDB writes them', async () => {
  const engine = new SqlEngine(wasmDir);
  const rows = await shownAndCast(
    engine,
    "(INTERVAL 3 DAY), (INTERVAL '1 year 2 months'), (INTERVAL '01:02:03'), " +
      "(INTERVAL '-1 day 1 microsecond'), (INTERVAL '-01:02:03.5'), (INTERVAL 0 DAY), " +
      "(INTERVAL '-14 months'), (INTERVAL '1 month 1 day'), (INTERVAL '100 hours'), " +
      "(INTERVAL '1 year -1 day 00:00:00.000001'), (NULL)",
  );
  assert.deepEqual(
    rows.map((r) => r[0]),
    [
      '3 days',
      '1 year 2 months',
      '01:02:03',
      '-1 day 00:00:00.000001',
      '-01:02:03.5',
      '00:00:00',
      '-1 year -2 months',
      '1 month 1 day',
      '100:00:00',
      '1 year -1 day 00:00:00.000001',
      null,
    ],
  );
  for (const [shown, cast] of rows) assert.equal(shown, cast);
});

it('shows blobs and bignums as DuckDB writes them, long blobs cut short', async () => {
  const engine = new SqlEngine(wasmDir);
  let hex = '';
  for (let b = 0; b < 256; b++) hex += b.toString(16).padStart(2, '0');
  const rows = await shownAndCast(
    engine,
    "('x'::BLOB), ('\\x00\\xFFab'::BLOB), (''::BLOB), (from_hex('" + hex + "')), (NULL)",
  );
  assert.deepEqual(rows[0], ['x', 'x']);
  assert.deepEqual(rows[1], ['\\x00\\xFFab', '\\x00\\xFFab']);
  assert.deepEqual(rows[2], ['', '']);
  assert.equal(rows[3]![0], rows[3]![1]);
  assert.match(rows[3]![0] ?? '', /^\\x00\\x01.* !\\x22#.*\\x27.*\\x5C.*~\\x7F.*\\xFF$/);
  assert.deepEqual(rows[4], [null, null]);

  const long = await engine.query("SELECT repeat('ab', 5000)::BLOB");
  const text = long.rows[0]![0] ?? '';
  assert.ok(text.startsWith('abab'));
  assert.ok(text.endsWith('… (blob, 10000 bytes)'), text.slice(-40));
  assert.ok(text.length < 400);

  const bignums = await shownAndCast(
    engine,
    '(0::BIGNUM), (12::BIGNUM), (-12::BIGNUM), (256::BIGNUM), (-256::BIGNUM), ' +
      "('123456789012345678901234567890123456789012345678901234567890'::BIGNUM), " +
      "('-98765432109876543210987654321098765432109876543210'::BIGNUM), (NULL)",
  );
  for (const [shown, cast] of bignums) assert.equal(shown, cast);
  assert.equal(bignums[2]![0], '-12');
});

it('reads intervals across the record batches of a long result', async () => {
  // More rows than one DuckDB vector (2048), so the Arrow table has several chunks.
  const conn = await lockedNodeConnection();
  const table = conn.query(
    'SELECT CASE WHEN x % 7 = 0 THEN NULL ELSE INTERVAL (x) DAY + INTERVAL (x) SECOND END AS i, ' +
      'CAST(i AS VARCHAR) FROM range(5000) r(x)',
  ) as unknown as Table;
  assert.ok(table.getChildAt(0)!.data.length > 1);
  const result = toQueryResult(table, { maxRows: 5000, elapsedMs: 0 });
  assert.equal(result.rows.length, 5000);
  assert.deepEqual(result.rows[4999], ['4999 days 01:23:19', '4999 days 01:23:19']);
  assert.deepEqual(result.rows[4998], [null, null]);
  for (const [shown, cast] of result.rows) assert.equal(shown, cast);
  conn.close();
});
