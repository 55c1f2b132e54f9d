/**
 * POST /publish answers a refused publish with what was refused and how to fix it (409), as the
 * publish job reports it: a source value of the wrong type became a bare 500 "failed to handle
 * this request" (security review). The bad value itself is never quoted.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ApiError } from '@privet/core';
import { startGateway, type RunningGateway } from '../../../gateway/src/http/server.js';

const POLICY = `version: 1
name: refusal
sources:
  people:
    path: people.csv
    format: csv
    privacy_unit: person_id
    columns:
      person_id: { type: integer, identifier: true }
      city: { type: string }
      income: { type: integer }
views:
  people_masked:
    tier: masked
    source: people
    columns: { city: { op: keep }, income: { op: keep } }
users:
  stu: { name: Stu, roles: [steward] }
budgets: []
retention: { derived_artefacts_days: 1, audit_log_days: 30 }
export: { require_review_for_flagged: true, images: review, small_cell_threshold: 10 }
`;

let dir: string;
let gateway: RunningGateway;
before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'privet-publish-refusal-'));
  const rows = Array.from(
    { length: 10 },
    (_, i) => `${i},${['Lyon', 'Oslo'][i % 2]},${i === 3 ? 'n/a-SECRET' : 1000 * i}`,
  );
  writeFileSync(join(dir, 'people.csv'), `person_id,city,income\n${rows.join('\n')}\n`);
  writeFileSync(join(dir, 'policy.yaml'), POLICY);
  gateway = await startGateway({
    policyPath: join(dir, 'policy.yaml'),
    stateDir: join(dir, 'state'),
    port: 0,
    issueTokensFor: ['stu'],
  });
});
after(async () => {
  await gateway.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('POST /publish refused', () => {
  test('says which column holds values of the wrong type and how to fix it', async () => {
    const response = await fetch(`${gateway.url}/api/v1/publish`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${gateway.tokens.stu!}` },
    });
    assert.equal(response.status, 409);
    const { error } = (await response.json()) as ApiError;
    assert.equal(error.code, 'conflict');
    assert.match(error.message, /1 values of column "income" .* are not valid integer values/);
    assert.match(error.fix, /fix the file or declare sources\.people\.columns\.income/);
    assert.ok(!JSON.stringify(error).includes('SECRET'), 'the bad value is not quoted');
  });
});
