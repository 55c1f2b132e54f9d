/**
 * GET /audit/verify answers a verdict next to `ok`, from the same report `privet audit verify`
 * prints, so a client need not parse the message: intact and tampered (not-upgraded, which a
 * running gateway never leaves behind, is checked on the report in keyed-upgrade.test.ts).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { AuditVerifyResponse } from '@privet/core';
import { AuditLog, openDurableDb } from '../../../gateway/src/audit/index.js';
import { startTestGateway, type TestGateway } from '../http/fixture.js';
import { tamper } from './fixture.js';

let t: TestGateway;
let steward: string;
let dbPath: string;

before(async () => {
  t = await startTestGateway();
  steward = t.gateway.tokens['stu']!;
  dbPath = join(t.dir, 'state', 'privet.db');
});
after(async () => t.stop());

async function verify(): Promise<AuditVerifyResponse> {
  const res = await t.call('GET', '/api/v1/audit/verify', { token: steward });
  assert.equal(res.status, 200);
  return (await res.json()) as AuditVerifyResponse;
}

test('an intact log answers verdict "intact"', async () => {
  const body = await verify();
  assert.equal(body.ok, true, body.message);
  assert.equal(body.verdict, 'intact');
});

test('entries of another master key after this host’s answer verdict "tampered"', async () => {
  // Another gateway with another master key wrote to the same database after this one: keys
  // replace one another in order, so a key id after this host's was made up (or the key was
  // switched away and back, which the message names).
  const other = openDurableDb(dbPath);
  const log = new AuditLog(other, () => new Date(), {
    masterKey: globalThis.crypto.getRandomValues(new Uint8Array(32)),
  });
  log.append({ actor: 'stu', action: 'view.access', subject: 'other-key' });
  other.close();
  const body = await verify();
  assert.equal(body.ok, false);
  assert.equal(body.verdict, 'tampered', body.message);
  assert.match(body.message, /keys replace one another in order/);
});

test('an edited entry answers verdict "tampered"', async () => {
  tamper(dbPath, "UPDATE audit_log SET actor = 'mallory' WHERE seq = 1");
  const body = await verify();
  assert.equal(body.ok, false);
  assert.equal(body.verdict, 'tampered', body.message);
});
