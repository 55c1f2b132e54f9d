// A DP query whose sources cannot be loaded (a value of the wrong type written into the raw file
// after the gateway started) is answered with what happened and that nothing was charged — it was
// a bare 500 "failed to handle this request" whose fix said to try again — and neither the file's
// path nor its bad value reaches the analyst. Once the file is fixed the next query loads it.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DpDryRunWithBudget } from '@privet/core';
import { POLICY_YAML } from './fixture.js';
import { ANA, openDpService, type DpServiceFixture } from './service-fixture.js';
import { HttpError } from '../../../gateway/src/http/errors.js';

let f: DpServiceFixture;
before(async () => {
  f = await openDpService(POLICY_YAML, {
    id: 'load',
    title: 'Load failure',
    purpose: 'A source that cannot be loaded',
    dataCategories: ['people'],
    views: ['people_dp'],
  });
});
after(() => f.close());

const query = (dryRun: boolean) =>
  f.dp.query(ANA, {
    experiment: 'load',
    sql: 'SELECT count(*) AS n FROM people_dp',
    epsilon: '0.5',
    dryRun,
  });

test('a source that cannot be loaded: a plain refusal, nothing charged, then a retry works', async () => {
  const before = ((await query(true)) as DpDryRunWithBudget).budget[0]?.remainingBefore;
  const path = join(f.fx.dir, 'people.csv');
  const good = readFileSync(path, 'utf8');
  const lines = good.trimEnd().split('\n');
  const cells = lines[3]!.split(',');
  cells[4] = 'SECRET-AGE'; // age is declared integer
  lines[3] = cells.join(',');
  writeFileSync(path, lines.join('\n') + '\n');
  await assert.rejects(query(false), (err: unknown) => {
    assert.ok(err instanceof HttpError, String(err));
    assert.equal(err.status, 500);
    assert.match(err.message, /could not load the source data .* nothing was released or charged/);
    assert.match(err.fix, /ask a steward to fix the source file the gateway log names/);
    assert.ok(!`${err.message} ${err.fix}`.includes('SECRET'), 'no raw value');
    assert.ok(!`${err.message} ${err.fix}`.includes(f.fx.dir), 'no path');
    assert.match(
      String((err.cause as Error).message),
      /values of column "age"/,
      'kept for the log',
    );
    return true;
  });
  const after = ((await query(true)) as DpDryRunWithBudget).budget[0]?.remainingBefore;
  assert.deepEqual(after, before, 'the failed query was refunded');
  writeFileSync(path, good);
  const spent = await query(false);
  assert.equal(spent.dryRun, false);
});
