/**
 * The keyed-log marker beside master.key: a log rewritten from its first entry without any MAC
 * reads NOT UPGRADED on its own, like a database no keyed gateway ever opened; with the marker the
 * gateway left when it first keyed the database, it is TAMPERED.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { GENESIS_HASH } from '@privet/core/record/index';
import {
  auditExitCode,
  formatAuditReport,
  hashEntrySync,
  openDurableDb,
  rowToEntry,
  verifyAuditDb,
  type AuditRow,
} from '../../../gateway/src/audit/index.js';
import { keyedMarkerPath } from '../../../gateway/src/audit/keyed-marker.js';
import { headMarkPath } from '../../../gateway/src/audit/head-mark.js';
import { privet } from '../run-cli.js';
import { openClockedLog, tamper } from './fixture.js';

/**
 * Rewrites the whole log as someone without the key would: the audit.keyed entries dropped, every
 * other entry re-chained from the genesis hash without a MAC, the head moved along (without MAC).
 */
function rewriteWithoutMacs(path: string): void {
  tamper(path, 'SELECT 1');
  const raw = openDurableDb(path);
  const rows = raw
    .prepare<[], AuditRow>("SELECT * FROM audit_log WHERE action != 'audit.keyed' ORDER BY seq")
    .all();
  raw.exec('DELETE FROM audit_log');
  const insert = raw.prepare(
    `INSERT INTO audit_log (seq, at, actor, action, experiment, subject, details, prev_hash, hash, mac)
     VALUES (@seq, @at, @actor, @action, @experiment, @subject, @details, @prev_hash, @hash, NULL)`,
  );
  let prev = GENESIS_HASH;
  rows.forEach((r, seq) => {
    const { hash: _old, ...body } = { ...rowToEntry(r), seq, prevHash: prev };
    const hash = hashEntrySync(body);
    insert.run({ ...r, seq, prev_hash: prev, hash });
    prev = hash;
  });
  raw.prepare('UPDATE audit_head SET seq = ?, hash = ?, mac = NULL').run(rows.length - 1, prev);
  raw.close();
}

test('the gateway leaves the marker (0600) when it first keys a database', () => {
  const t = openClockedLog('privet-marker-', 'privet.db');
  try {
    const marker = keyedMarkerPath(t.path);
    assert.equal(statSync(marker).mode & 0o777, 0o600);
    const content = JSON.parse(readFileSync(marker, 'utf8')) as Record<string, unknown>;
    assert.deepEqual(content, { version: 1, keyId: t.log.keyId, seq: 0, headMacSeq: 0 });
  } finally {
    t.close();
  }
});

test('a whole-log rewrite without MACs is TAMPERED with the marker, NOT UPGRADED without it', async () => {
  const t = openClockedLog('privet-marker-', 'privet.db');
  try {
    t.fill(5);
    rewriteWithoutMacs(t.path);
    const r = await verifyAuditDb(t.path);
    assert.equal(r.ok, false);
    assert.equal(r.problem, undefined, r.message);
    assert.match(formatAuditReport(r), /^TAMPERED /);
    assert.equal(auditExitCode(r), 1);
    assert.match(
      r.message,
      /audit-keyed-privet\.db\.json records that the gateway keyed this log from entry #0 on \(key id [0-9a-f]{16}\), but entry #0 carries no MAC — the log was rewritten without the gateway's key/,
    );
    assert.match(r.message, /Fix: compare the log with the anchors you kept outside this host/);
    assert.match(r.message, /If you restored \(or replaced\) this database on purpose/);
    const cli = privet('audit', 'verify', '--state', t.dir);
    assert.equal(cli.code, 1, cli.stdout + cli.stderr);
    assert.match(cli.stdout, /^TAMPERED /);

    rmSync(keyedMarkerPath(t.path));
    // The head mark (which names the rewritten entry #0) catches it too: without both, as before.
    rmSync(headMarkPath(t.path));
    const unmarked = await verifyAuditDb(t.path);
    assert.equal(unmarked.problem, 'not-upgraded', unmarked.message);
    assert.equal(auditExitCode(unmarked), 3);
  } finally {
    t.close();
  }
});

test('a log emptied, or cut back to before its keying, is TAMPERED with the marker', async () => {
  const t = openClockedLog('privet-marker-', 'privet.db');
  try {
    t.fill(3);
    tamper(t.path, 'DELETE FROM audit_log; DELETE FROM audit_head;');
    const r = await verifyAuditDb(t.path);
    assert.equal(r.ok, false);
    assert.match(
      r.message,
      /keyed this log from entry #0 on .*, but the log holds no entries — it was cut or rewritten back to before its keying/,
    );
    assert.match(formatAuditReport(r), /^TAMPERED /);
  } finally {
    t.close();
  }
});

test('a marker not in the form the gateway writes fails the check, naming it', async () => {
  const t = openClockedLog('privet-marker-', 'privet.db');
  try {
    t.fill(2);
    writeFileSync(keyedMarkerPath(t.path), '{"version":1,"keyId":"zz","seq":-1}');
    const r = await verifyAuditDb(t.path);
    assert.equal(r.ok, false);
    assert.match(
      r.message,
      /the keyed-log marker .*audit-keyed-privet\.db\.json is not in the form the gateway writes/,
    );
    assert.match(r.message, /Fix: restore .* from a backup of the state folder/);
  } finally {
    t.close();
  }
});
