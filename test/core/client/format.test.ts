/** The pure display helpers the notebook hosts share: cell text, release caption and cells. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  tableFromArrays,
  vectorFromArray,
  DateDay,
  Table,
  TimestampMillisecond,
} from 'apache-arrow';
import {
  DUCKDB_WASM_LOCKDOWN,
  arrowCellKind,
  formatCell,
  intervalText,
  releaseCaption,
  releaseText,
  releaseTable,
  toQueryResult,
} from '@privet/core/client/index';
import type { DpRelease } from '@privet/core/protocol';

describe('result cells', () => {
  it('renders dates, timestamps, big integers and nested values as text', () => {
    const day = Date.UTC(2024, 1, 29);
    assert.equal(formatCell(day, 'date'), '2024-02-29');
    assert.equal(formatCell(day + 3_723_000, 'timestamp'), '2024-02-29 01:02:03');
    assert.equal(formatCell(2n ** 70n, 'other'), '1180591620717411303424');
    assert.equal(formatCell({ a: 1n }, 'other'), '{"a":"1"}');
    assert.equal(formatCell(null, 'other'), null);
  });

  it('reads date and timestamp columns of a real Arrow table by type id', () => {
    const day = Date.UTC(2024, 0, 2);
    const table = new Table({
      d: vectorFromArray([new Date(day), null], new DateDay()),
      t: vectorFromArray([new Date(day + 1000), new Date(day)], new TimestampMillisecond()),
      n: tableFromArrays({ n: Int32Array.from([7, 8]) }).getChild('n')!,
    });
    assert.deepEqual(
      table.schema.fields.map((f) => arrowCellKind(f.type)),
      ['date', 'timestamp_ms', 'other'],
    );
    const result = toQueryResult(table, { maxRows: 1, elapsedMs: 2 });
    assert.deepEqual(result, {
      columns: ['d', 't', 'n'],
      rows: [['2024-01-02', '2024-01-02 00:00:01', '7']],
      totalRows: 2,
      countStopped: false,
      elapsedMs: 2,
    });
  });

  it('renders decimals, 128-bit integers, intervals and blobs exactly, never as internals', () => {
    // apache-arrow gives a decimal as little-endian 32-bit words of its two's complement integer.
    const words = (n: bigint): Uint32Array =>
      Uint32Array.from([0, 1, 2, 3], (i) =>
        Number((BigInt.asUintN(128, n) >> BigInt(32 * i)) & 0xffffffffn),
      );
    assert.equal(formatCell(words(12345n), 'decimal', 2), '123.45');
    assert.equal(formatCell(words(-50n), 'decimal', 3), '-0.050');
    assert.equal(
      formatCell(words(-(10n ** 37n) - 1n), 'decimal', 10),
      '-1000000000000000000000000000.0000000001',
    );
    assert.equal(formatCell(words(9232379236109516860n), 'decimal', 0), '9232379236109516860');
    assert.equal(formatCell(words(-(2n ** 127n)), 'decimal'), (-(2n ** 127n)).toString());
    assert.equal(formatCell(null, 'decimal', 2), null);
    const le = (n: bigint): Uint8Array =>
      Uint8Array.from({ length: 16 }, (_, i) => Number((n >> BigInt(8 * i)) & 0xffn));
    assert.equal(formatCell(le(2n ** 128n - 1n), 'uhugeint'), (2n ** 128n - 1n).toString());
    // BIGNUM: 3-byte header (top bit set when positive), big-endian magnitude, inverted if negative.
    assert.equal(formatCell(Uint8Array.from([0x80, 0, 2, 1, 0]), 'bignum'), '256');
    assert.equal(formatCell(Uint8Array.from([0x7f, 0xff, 0xfd, 0xfe, 0xff]), 'bignum'), '-256');
    assert.equal(
      formatCell(Uint8Array.from([120, 0, 255, 92, 39]), 'blob'),
      'x\\x00\\xFF\\x5C\\x27',
    );
    const long = formatCell(new Uint8Array(100_000).fill(65), 'blob') ?? '';
    assert.ok(long.endsWith('AAA… (blob, 100000 bytes)') && long.length < 300);
    assert.equal(
      formatCell({ months: 14, days: 3, nanos: 4_005_500_000n }, 'interval'),
      '1 year 2 months 3 days 00:00:04.0055',
    );
    assert.equal(
      formatCell({ months: -1, days: -1, nanos: -1000n }, 'interval'),
      '-1 month -1 day -00:00:00.000001',
    );
    assert.equal(formatCell({ months: 0, days: 0, nanos: 0n }, 'interval'), '00:00:00');
    // What apache-arrow 17 decodes a MONTH_DAY_NANO interval as is meaningless: a placeholder.
    assert.equal(formatCell(Int32Array.from([0, 0]), 'interval'), '(interval)');
  });

  it('types decimal, interval and binary columns, DuckDB opaque types by their metadata', () => {
    const opaque = (name: string): Map<string, string> =>
      new Map([
        ['ARROW:extension:name', 'arrow.opaque'],
        ['ARROW:extension:metadata', JSON.stringify({ type_name: name, vendor_name: 'DuckDB' })],
      ]);
    assert.equal(arrowCellKind({ typeId: 7 }), 'decimal');
    assert.equal(arrowCellKind({ typeId: 11, unit: 2 }), 'interval');
    assert.equal(arrowCellKind({ typeId: 4 }), 'blob');
    assert.equal(arrowCellKind({ typeId: 15 }, opaque('uhugeint')), 'uhugeint');
    assert.equal(arrowCellKind({ typeId: 4 }, opaque('bignum')), 'bignum');
    assert.equal(
      arrowCellKind({ typeId: 4 }, new Map([['ARROW:extension:metadata', '{']])),
      'blob',
    );
  });

  it('reads month-day-nano intervals from their raw chunks and NULL as null', () => {
    // Two chunks of int32 months, int32 days, int64 nanoseconds per row, as DuckDB sends them.
    const chunks = [
      { offset: 0, length: 2, values: Int32Array.from([14, 3, 0, 0, 0, 0, 0, 0]) },
      { offset: 0, length: 1, values: Int32Array.from([0, -1, -1000, -1]) },
    ];
    const nulls = new Set([1]);
    const table = {
      numRows: 3,
      schema: { fields: [{ name: 'i', type: { typeId: 11, unit: 2 } }] },
      getChildAt: () => ({
        data: chunks,
        get: (r: number) => (nulls.has(r) ? null : Int32Array.of(0, 0)),
      }),
    };
    const result = toQueryResult(table, { maxRows: 10, elapsedMs: 0 });
    assert.deepEqual(result.rows, [
      ['1 year 2 months 3 days'],
      [null],
      ['-1 day -00:00:00.000001'],
    ]);
    // A sliced chunk (which apache-arrow 17 slices with the wrong stride) is not guessed at.
    chunks[0]!.offset = 1;
    assert.deepEqual(toQueryResult(table, { maxRows: 1, elapsedMs: 0 }).rows, [['(interval)']]);
  });

  it('locks the configuration last, after turning off extensions and external access', () => {
    assert.equal(DUCKDB_WASM_LOCKDOWN.at(-1), 'SET lock_configuration=true');
    assert.ok(DUCKDB_WASM_LOCKDOWN.includes('SET enable_external_access=false'));
    assert.ok(DUCKDB_WASM_LOCKDOWN.includes('SET autoload_known_extensions=false'));
  });
});

describe('release text', () => {
  const release: DpRelease = {
    releaseId: 'abc',
    mechanism: 'discrete_gaussian',
    alpha: 0.1,
    cost: { measure: 'approx', epsilon: '0.5', delta: '1e-9', sources: ['people'] },
    columns: [
      { name: 'city', role: 'key', kind: 'string', keys: 'public' },
      { name: 'n', role: 'aggregate', kind: 'count' },
      { name: 'total', role: 'aggregate', kind: 'sum', column: 'income' },
    ],
    rows: [{ keys: { city: 'Oslo' }, values: { n: { value: 1234, interval: [1200.5, 1268] } } }],
    sql: 'SELECT city, COUNT(*) AS n FROM t GROUP BY city',
    planHash: '00',
    warnings: [],
  };

  it('captions mechanism, cost and level and lays out key, value and missing cells', () => {
    assert.equal(
      releaseCaption(release),
      'DP release · discrete gaussian · cost ε=0.5, δ=1e-9 · 90% intervals',
    );
    assert.equal(intervalText([1200.5, 1268]), '[1200.50, 1,268]');
    // Under zCDP the cost is ρ, never shown as an ε.
    const zcdp: DpRelease = {
      ...release,
      cost: { measure: 'zcdp', rho: '0.05', sources: ['people'] },
    };
    assert.match(releaseCaption(zcdp), /· cost ρ=0\.05 ·/);
    assert.match(
      releaseText(zcdp),
      /^Privet DP release abc \(discrete_gaussian, ρ=0\.05, 90% intervals\)/,
    );
    assert.deepEqual(releaseTable(release), {
      header: ['city', 'n', 'total'],
      rows: [
        [
          { kind: 'key', text: 'Oslo' },
          { kind: 'value', value: '1,234', interval: '[1200.50, 1,268]' },
          { kind: 'empty' },
        ],
      ],
    });
  });
});
