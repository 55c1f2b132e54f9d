/**
 * Result cells of the notebook SQL engines (core's toQueryResult, as the VS Code engine uses it):
 * timestamps with fractions of a second and times of day read as SQL writes them.
 */
import assert from 'node:assert/strict';
import { dirname } from 'node:path';
import { createRequire } from 'node:module';
import { it } from 'node:test';
import { SqlEngine } from '../../vscode-ext/src/sql/engine.js';

const require = createRequire(import.meta.url);
const wasmDir = dirname(require.resolve('@duckdb/duckdb-wasm/dist/duckdb-eh.wasm'));

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
