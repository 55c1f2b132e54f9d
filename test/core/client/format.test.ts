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
      ['date', 'timestamp', 'other'],
    );
    const result = toQueryResult(table, { maxRows: 1, elapsedMs: 2 });
    assert.deepEqual(result, {
      columns: ['d', 't', 'n'],
      rows: [['2024-01-02', '2024-01-02 00:00:01', '7']],
      totalRows: 2,
      elapsedMs: 2,
    });
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
