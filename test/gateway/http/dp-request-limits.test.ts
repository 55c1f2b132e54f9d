/**
 * The DP query route's edges: a parameter written with thousands of digits is refused before any
 * exact arithmetic; a δ the ledger cannot record is refused by the dry run as by the run; a source
 * that cannot be opened once does not break DP queries until the gateway restarts.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { renameSync } from 'node:fs';
import { join } from 'node:path';
import type { ApiError } from '@privet/core';
import { EXPERIMENT, startTestGateway, type TestGateway } from './fixture.js';

let t: TestGateway;

before(async () => {
  t = await startTestGateway();
});
after(async () => t.stop());

/** POSTs a DP query as ana in the fixture's experiment. */
function dpQuery(body: Record<string, unknown>): Promise<Response> {
  return t.call('POST', '/api/v1/dp/query', {
    token: t.gateway.tokens.ana!,
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({
      experiment: EXPERIMENT,
      sql: 'SELECT COUNT(*) FROM people_dp',
      ...body,
    }),
  });
}

describe('DP query request limits', () => {
  // First, while the engine is not open yet.
  test('a source missing for a moment fails that query only; the next one opens it again', async () => {
    const csv = join(t.dir, 'people.csv');
    renameSync(csv, csv + '.away');
    try {
      const failed = await dpQuery({ epsilon: '0.1', dryRun: false });
      assert.notEqual(failed.status, 200);
      assert.ok(!JSON.stringify(await failed.json()).includes('@'), 'no raw value in the error');
    } finally {
      renameSync(csv + '.away', csv);
    }
    const retried = await dpQuery({ epsilon: '0.1', dryRun: false });
    assert.equal(retried.status, 200, await retried.text());
  });

  test('a parameter written with more than 64 characters is refused as a bad request', async () => {
    for (const key of ['epsilon', 'delta', 'rho', 'accuracy', 'alpha']) {
      const r = await dpQuery({ epsilon: '0.1', [key]: '1' + '0'.repeat(10_000), dryRun: true });
      assert.equal(r.status, 400, key);
      const { error } = (await r.json()) as ApiError;
      assert.match(error.message, new RegExp(`"${key}" is written with more than 64 characters`));
      assert.match(error.fix, /write it with fewer digits/);
    }
  });

  test('a δ below what the ledger records is refused by the dry run, not priced as affordable', async () => {
    for (const dryRun of [true, false]) {
      const r = await dpQuery({ rho: '0.000001', delta: '1e-400', dryRun });
      assert.equal(r.status, 400, `dryRun ${dryRun}`);
      const { error } = (await r.json()) as ApiError;
      assert.match(error.message, /delta .*below 2\.2e-308/);
    }
  });

  test('a body that is not JSON, empty or malformed is refused saying which, with the fix', async () => {
    const send = (headers: Record<string, string>, body?: string) =>
      t.call('POST', '/api/v1/dp/query', {
        token: t.gateway.tokens.ana!,
        headers,
        ...(body === undefined ? {} : { body }),
      });
    const cases: [Response, number, RegExp][] = [
      [
        await send({ 'Content-Type': 'text/plain' }, '{"experiment":"exp1"}'),
        415,
        /is not JSON \(its Content-Type is not application\/json\)/,
      ],
      [await send({ 'Content-Type': 'application/json' }), 400, /but the body is empty/],
      [
        await send({ 'Content-Type': 'application/json' }, '{"experiment": '),
        400,
        /the request body is not valid JSON/,
      ],
    ];
    for (const [response, status, message] of cases) {
      assert.equal(response.status, status);
      const { error } = (await response.json()) as ApiError;
      assert.match(error.message, message);
      assert.match(error.fix, /send a JSON object with Content-Type: application\/json/);
    }
  });
});
