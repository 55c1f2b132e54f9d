import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { ApiError, AuditVerifyResponse } from '@privet/core';
import { openDurableDb } from '../../../gateway/src/audit/index.js';
import { startTestGateway, type TestGateway } from '../http/fixture.js';

let t: TestGateway;
let steward: string;

before(async () => {
  t = await startTestGateway();
  steward = t.gateway.tokens['stu']!;
});
after(async () => t.stop());

async function verify(query = ''): Promise<{ status: number; body: unknown }> {
  const res = await t.call('GET', `/api/v1/audit/verify${query}`, { token: steward });
  return { status: res.status, body: await res.json() };
}

/** Tampering as someone with write access to the state database would: drop the triggers first. */
function tamper(sql: string): void {
  const raw = openDurableDb(join(t.dir, 'state', 'privet.db'));
  raw.exec(
    'DROP TRIGGER IF EXISTS audit_log_no_update; DROP TRIGGER IF EXISTS audit_log_no_delete;',
  );
  raw.exec(sql);
  raw.close();
}

describe('GET /audit/verify?anchor=', () => {
  let head = '';
  let older = '';

  test('an intact answer carries the anchor to keep; anchors (repeatable) verify', async () => {
    const audit = t.gateway.services.audit;
    // Entries about no experiment at the tail: a cut of an experiment's own entries leaves its row
    // ahead of its last recorded state, which verify catches without any anchor (record-seal tests).
    audit.append({ actor: 'stu', action: 'view.access', subject: 'tail-1' });
    audit.append({ actor: 'stu', action: 'view.access', subject: 'tail-2' });
    const tip = audit.head()!;
    assert.ok(tip.seq >= 2, 'the fixture wrote a few entries');
    head = `${tip.seq}:${tip.hash}`;
    const entry = audit.entries({ fromSeq: tip.seq - 1, limit: 1 })[0]!;
    older = `${entry.seq}:${entry.hash}`;
    const plain = await verify();
    assert.equal(plain.status, 200);
    const body = plain.body as AuditVerifyResponse;
    assert.equal(body.ok, true, body.message);
    assert.equal(body.verdict, 'intact');
    assert.equal(body.anchor, head);
    const both = await verify(`?anchor=${older}&anchor=${head}`);
    assert.equal(both.status, 200);
    assert.equal((both.body as AuditVerifyResponse).ok, true);
  });

  test('a malformed anchor is a 400 that shows the expected form', async () => {
    const hash = 'ab'.repeat(32);
    for (const anchor of [`NaN:${hash}`, `-1:${hash}`, `3:${hash.slice(1)}`, 'latest', '']) {
      const r = await verify(`?anchor=${head}&anchor=${encodeURIComponent(anchor)}`);
      assert.equal(r.status, 400, anchor);
      const { error } = r.body as ApiError;
      assert.match(error.message, /^GET \/audit\/verify: the anchor ".*" has /);
      assert.match(
        error.fix,
        /^pass \?anchor=<seq>:<hash> \(a whole number ≥ 0, a colon, then the 64 hex/,
      );
    }
  });

  test('a tail cut with the head rewound is tampered by the head MAC alone, and with it names the anchor', async () => {
    const seq = Number(head.split(':')[0]);
    tamper(`DELETE FROM audit_log WHERE seq >= ${seq};
            UPDATE audit_head SET seq = ${seq - 1}, hash = (SELECT hash FROM audit_log WHERE seq = ${seq - 1});`);
    const alone = (await verify()).body as AuditVerifyResponse;
    assert.equal(alone.ok, false, alone.message);
    assert.equal(alone.verdict, 'tampered');
    assert.match(
      alone.message,
      new RegExp(`the recorded head \\(audit_head\\) at #${seq - 1} carries no valid MAC`),
    );
    const r = await verify(`?anchor=${older}&anchor=${head}`);
    assert.equal(r.status, 200);
    const body = r.body as AuditVerifyResponse;
    assert.equal(body.ok, false);
    assert.equal(body.verdict, 'tampered');
    assert.equal(body.anchor, undefined, 'no anchor to keep from a failed check');
    assert.ok(
      body.message.includes(
        `the log ends at entry #${seq - 1}, but the anchor ${head} vouches for entry #${seq} — the log was rewritten or cut at or before #${seq} (and its recorded head moved with it)`,
      ),
      body.message,
    );
  });
});
