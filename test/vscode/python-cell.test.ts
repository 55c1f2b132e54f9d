/**
 * The Python cell "Privet: New Python Cell for View" writes (vscode-ext/src/notebook/python-cell.ts),
 * run by a real Python with pandas against a real gateway: it loads the view from a download
 * ticket into a DataFrame and prints a summary; run again, the used link raises the gateway's
 * refusal with its fix (no urllib traceback); the cell never holds the token.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { GatewayClient } from '../../vscode-ext/src/client/gateway.js';
import { pythonIdentifier } from '@privet/core/client/view-query';
import { pythonLoadCode } from '../../vscode-ext/src/notebook/python-cell.js';
import { EXPERIMENT, PEOPLE, startTestGateway, type TestGateway } from '../gateway/http/fixture.js';
import { noProxyEnv, PANDAS_PYTHON, runPython } from '../python-run.js';

describe('New Python Cell for View: the cell source', () => {
  it('names the view, the experiment, when the link ends and how to get a new one', () => {
    const code = pythonLoadCode('people_masked', 'exp1', {
      url: 'http://127.0.0.1:1/api/v1/tickets/pvt_tkt_x/parquet',
      expiresAt: '2026-12-06T14:05:30.000Z',
    });
    assert.match(code, /the approved view "people_masked" \(experiment exp1\)/);
    assert.match(code, /loads the view once, until 14:05 UTC/);
    assert.match(code, /run "Privet: New Python Cell for View" for a new cell/);
    assert.match(
      code,
      /people_masked = pd\.read_parquet\("http:\/\/127\.0\.0\.1:1\/api\/v1\/tickets\/pvt_tkt_x\/parquet"\)/,
    );
    assert.equal(pythonIdentifier('2024_visits'), 'v_2024_visits');
  });
});

describe(
  'New Python Cell for View: the cell in Python',
  { skip: PANDAS_PYTHON ? false : 'no Python with pandas and pyarrow (.venv or python3)' },
  () => {
    let t: TestGateway;
    let client: GatewayClient;

    before(async () => {
      t = await startTestGateway();
      client = new GatewayClient(t.gateway.url, t.gateway.tokens.ana!);
    });
    after(async () => t.stop());

    it('loads the view once; run again, it raises the gateway’s refusal with the fix', async () => {
      const ticket = await client.viewTicket('people_masked', EXPERIMENT);
      const code = pythonLoadCode('people_masked', EXPERIMENT, ticket);
      for (const token of Object.values(t.gateway.tokens))
        assert.ok(!code.includes(token), 'the cell holds no token');
      const check = '\nprint("DataFrame:", type(people_masked).__name__, len(people_masked))';
      const first = await runPython(PANDAS_PYTHON!, ['-c', code + check], noProxyEnv());
      assert.equal(first.status, 0, first.stderr);
      assert.equal(
        first.stdout,
        `Loaded people_masked as people_masked: ${PEOPLE.length} rows; columns: person_id, email, city, income\n` +
          `DataFrame: DataFrame ${PEOPLE.length}\n`,
      );
      const again = await runPython(PANDAS_PYTHON!, ['-c', code], noProxyEnv());
      assert.equal(again.status, 1);
      assert.match(
        again.stderr,
        /RuntimeError: Privet: \{"error":\{"code":"gone","message":"this download link was already used, has expired, or its sign-in ended","fix":"[^"]*make a new one/,
      );
      assert.doesNotMatch(
        again.stderr,
        /During handling|urllib\/request\.py/,
        'no urllib traceback',
      );
    });
  },
);
