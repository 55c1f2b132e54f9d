// End to end over HTTP with the real clock: a dp view with `response_time_ms: 300` answers a real
// DP query no sooner than 300 ms after it was sent, and its charge is closed no sooner either
// (the ledger's closedAt, which the experiment's members can read, shows no finer time). A lower
// bound is what the option promises; how fast the gateway is otherwise is not tested here (dry runs
// and the fake-clock cases are in response-time.test.ts).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { BudgetResponse, DpQueryResponse } from '@privet/core';
import { startGateway, type RunningGateway } from '../../../gateway/src/http/server.js';
import { approveExperiment, EXPERIMENT, writePeople } from '../http/fixture.js';

/** Small, but well above a warm query's own time here (tens of ms), so the test tells padding apart. */
const STEP_MS = 300;

let dir: string;
let gateway: RunningGateway;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'privet-rt-http-'));
  const fixture = readFileSync(new URL('../../fixtures/http/policy.yaml', import.meta.url), 'utf8');
  const limits = '    contribution: { max_rows_per_unit: 1, max_groups_per_unit: 1 }\n';
  assert.equal(fixture.split(limits).length, 2, 'the fixture has one dp view');
  writeFileSync(
    join(dir, 'policy.yaml'),
    fixture.replace(limits, `${limits}    response_time_ms: ${STEP_MS}\n`),
  );
  writePeople(dir);
  gateway = await startGateway({
    policyPath: join(dir, 'policy.yaml'),
    stateDir: join(dir, 'state'),
    port: 0,
    corsOrigins: [],
    issueTokensFor: ['ana', 'stu'],
  });
  approveExperiment(gateway, EXPERIMENT, ['people_dp']);
});

after(async () => {
  await gateway.close();
  rmSync(dir, { recursive: true, force: true });
});

const post = (): Promise<Response> =>
  fetch(`${gateway.url}/api/v1/dp/query`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${gateway.tokens.ana!}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({
      experiment: EXPERIMENT,
      sql: 'SELECT count(*) AS n FROM people_dp',
      epsilon: '0.1',
      dryRun: false,
    }),
  });

test('a real DP query over a view with response_time_ms is answered no sooner than the step', async () => {
  for (let i = 0; i < 3; i++) {
    // The first query also opens the engine; the others run on the open one.
    const sentWall = Date.now();
    const sent = performance.now();
    const response = await post();
    const elapsed = performance.now() - sent;
    assert.equal(response.status, 200, await response.clone().text());
    const { release } = (await response.json()) as DpQueryResponse;
    assert.ok(elapsed >= STEP_MS, `answered after ${elapsed.toFixed(1)} ms, before ${STEP_MS} ms`);
    // The charge's closing time is stamped after the wait as well (1 ms for the wall clock's
    // millisecond stamps against the monotonic clock the wait is measured on).
    const budget = await fetch(`${gateway.url}/api/v1/experiments/${EXPERIMENT}/budget`, {
      headers: { Authorization: `Bearer ${gateway.tokens.ana!}` },
    });
    const { charges } = (await budget.json()) as BudgetResponse;
    const charge = charges.find((c) => c.releaseId === release.releaseId);
    assert.equal(charge?.status, 'committed');
    const closedAfter = Date.parse(charge.closedAt!) - sentWall;
    assert.ok(
      closedAfter >= STEP_MS - 1,
      `charge closed ${closedAfter} ms after the query was sent`,
    );
  }
});
