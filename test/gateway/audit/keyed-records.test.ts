/**
 * A database whose experiment rows only predate record hashes (seal-migrate has not run: no
 * gateway of this version opened it yet) is NOT UPGRADED — exit 3 — not TAMPERED; a row that
 * differs from its older entries still is TAMPERED.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatAuditReport, verifyAuditDb } from '../../../gateway/src/audit/index.js';
import { auditExitCode } from '../../../gateway/src/audit/verify.js';
import {
  ExperimentService,
  directoryArtefactStore,
} from '../../../gateway/src/experiments/index.js';
import { makeEnv } from '../experiments/fixture.js';
import { writeLegacyLifecycle as writeLegacy } from '../experiments/legacy-lifecycle.js';

test('rows that only predate record hashes are NOT UPGRADED (exit 3), not TAMPERED, until the gateway starts; an edited row stays TAMPERED', async () => {
  const env = makeEnv();
  try {
    writeLegacy(env, 'old-a');
    writeLegacy(env, 'old-b');
    const r = await verifyAuditDb(env.dbPath);
    assert.equal(r.ok, false);
    assert.equal(r.problem, 'not-upgraded', r.message);
    assert.equal(auditExitCode(r), 3);
    const printed = formatAuditReport(r);
    assert.match(printed, /^NOT UPGRADED — start the gateway once to upgrade/);
    assert.doesNotMatch(printed, /TAMPERED|changed outside|forged/);
    assert.match(r.message, /2 experiment rows are not sealed yet/);
    assert.match(r.message, /Fix: start the gateway once with this version/);
    assert.equal(r.head, undefined, 'only an intact check prints an anchor to keep');

    new ExperimentService({
      audit: env.audit,
      policy: env.policy,
      artefacts: directoryArtefactStore(env.dir),
    });
    const sealed = await verifyAuditDb(env.dbPath);
    assert.equal(sealed.ok, true, sealed.message);
  } finally {
    env.close();
  }
  // A row edited before the upgrade, beside one that only needs it, is still TAMPERED.
  const edited = makeEnv();
  try {
    writeLegacy(edited, 'old-a');
    writeLegacy(edited, 'old-b');
    edited.db.prepare(`UPDATE experiments SET members = '["bob","eve"]' WHERE id = 'old-b'`).run();
    const r = await verifyAuditDb(edited.dbPath);
    assert.equal(r.problem, undefined, r.message);
    assert.equal(auditExitCode(r), 1);
    assert.match(formatAuditReport(r), /^TAMPERED /);
    assert.match(r.message, /experiment "old-b": .* differs from its audited entries in members/);
    assert.doesNotMatch(r.message, /eve/, 'the row’s values are not echoed');
  } finally {
    edited.close();
  }
});
