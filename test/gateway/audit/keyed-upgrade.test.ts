/**
 * Upgrading to the keyed audit chain: a database written by a gateway without MACs is NOT
 * UPGRADED (exit 3, never TAMPERED) until a gateway of this version opens it, which adds the `mac`
 * column once and records the point where MACs start in an `audit.keyed` entry; a replaced
 * master.key is recorded the same way, and the entries it can no longer check are named.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { auditExitCode } from '../../../gateway/src/audit/verify.js';
import { auditVerdict } from '../../../gateway/src/audit/verify-report.js';
import {
  AuditLog,
  formatAuditReport,
  openDurableDb,
  verifyAuditDb,
} from '../../../gateway/src/audit/index.js';
import { loadOrCreateMasterKey, masterKeyPath } from '../../../gateway/src/keys.js';
import { privet } from '../run-cli.js';
import { writeOlderLog } from './fixture.js';

const clock = (): Date => new Date('2026-03-01T12:00:00.000Z');

function stateFolder(): { dir: string; state: string; path: string } {
  const dir = mkdtempSync(join(tmpdir(), 'privet-keyed-up-'));
  const state = join(dir, 'state');
  mkdirSync(state);
  return { dir, state, path: join(state, 'privet.db') };
}

test('a log from before keying is NOT UPGRADED (exit 3) until the gateway starts once, which records audit.keyed', async () => {
  const { dir, state, path } = stateFolder();
  try {
    writeOlderLog(path, 4);
    loadOrCreateMasterKey(state);
    const before = await verifyAuditDb(path);
    assert.equal(before.ok, false);
    assert.equal(before.problem, 'not-upgraded');
    assert.equal(auditExitCode(before), 3);
    assert.match(formatAuditReport(before), /^NOT UPGRADED — start the gateway once to upgrade/);
    assert.doesNotMatch(formatAuditReport(before), /TAMPERED/);
    assert.match(before.message, /no audit entry carries a MAC.*Fix: start the gateway once/);
    const cli = privet('audit', 'verify', '--state', state);
    assert.equal(cli.code, 3, cli.stdout + cli.stderr);
    assert.match(cli.stdout, /^NOT UPGRADED/);

    // Starting the gateway (opening the log) upgrades it once: the column, then audit.keyed.
    for (let i = 0; i < 2; i++) {
      const db = openDurableDb(path);
      new AuditLog(db, clock);
      db.close();
    }
    const db = openDurableDb(path);
    const log = new AuditLog(db, clock);
    const keyed = log.entries().filter((e) => e.action === ('audit.keyed' as string));
    assert.equal(keyed.length, 1, 'recorded once, however often the gateway starts');
    assert.equal(keyed[0]?.seq, 4);
    assert.equal(keyed[0]?.details['previous'], 'no MAC');
    assert.equal(keyed[0]?.details['keyId'], log.keyId);
    const macColumns = db
      .prepare<[], { n: number }>(
        "SELECT count(*) AS n FROM pragma_table_info('audit_log') WHERE name = 'mac'",
      )
      .get()?.n;
    assert.equal(macColumns, 1);
    log.append({ actor: 'alice', action: 'view.access', experiment: 'e' });
    db.close();

    const after = await verifyAuditDb(path);
    assert.equal(after.ok, true, after.message);
    assert.match(
      after.message,
      /entries #0…#3 predate keying \(the log was keyed at entry #4\) and carry no MAC: they are protected by the hash chain and anchors only/,
    );
    const plain = privet('audit', 'verify', '--state', state);
    assert.equal(plain.code, 0, plain.stdout + plain.stderr);
    assert.match(plain.stdout, /^OK .*\n.*predate keying/);

    // Stripping every MAC does not make it look un-upgraded again: audit.keyed is always MACed.
    const raw = openDurableDb(path);
    raw.exec('DROP TRIGGER IF EXISTS audit_log_no_update; UPDATE audit_log SET mac = NULL;');
    raw.close();
    const stripped = await verifyAuditDb(path);
    assert.match(formatAuditReport(stripped), /^TAMPERED /);
    assert.match(stripped.message, /audit entry #4 is an audit.keyed entry without a MAC/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a replaced master key is NOT UPGRADED until recorded; then the old key’s entries are named as not MAC-checked', async () => {
  const { dir, state, path } = stateFolder();
  try {
    let db = openDurableDb(path);
    let log = new AuditLog(db, clock);
    // #0 is the fresh log's audit.keyed entry; #1, #2 these.
    for (let i = 0; i < 2; i++) log.append({ actor: 'alice', action: 'view.access' });
    const oldId = log.keyId;
    db.close();
    rmSync(masterKeyPath(state));
    loadOrCreateMasterKey(state);

    const stale = await verifyAuditDb(path);
    assert.equal(stale.problem, 'not-upgraded', stale.message);
    assert.equal(auditExitCode(stale), 3);
    assert.equal(auditVerdict(stale), 'not-upgraded', 'as GET /audit/verify answers it');
    assert.match(
      stale.message,
      new RegExp(`entries #0…#2 carry MACs of another master key \\(id ${oldId}\\)`),
    );
    assert.match(stale.message, /if master.key was replaced on purpose, start the gateway once/);

    db = openDurableDb(path);
    log = new AuditLog(db, clock);
    const keyed = log.entries().at(-1);
    assert.equal(keyed?.action, 'audit.keyed');
    assert.equal(keyed?.details['previousKeyId'], oldId);
    log.append({ actor: 'alice', action: 'view.access' });
    db.close();
    const r = await verifyAuditDb(path);
    assert.equal(r.ok, true, r.message);
    assert.match(
      r.message,
      new RegExp(
        `entries #0…#2 carry MACs of an earlier master key \\(id ${oldId}\\) and were not MAC-checked`,
      ),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('entries of another key id after this host’s key are TAMPERED: a made-up key cannot pass as an earlier one', async () => {
  const { dir, state, path } = stateFolder();
  try {
    let db = openDurableDb(path);
    let log = new AuditLog(db, clock);
    log.append({ actor: 'alice', action: 'view.access' }); // #1 (after #0, audit.keyed)
    db.close();
    // Someone who can write the database but not read master.key: a key of their own opens the
    // log (an audit.keyed entry naming it, #2), then an entry MACed with it (#3).
    db = openDurableDb(path);
    log = new AuditLog(db, clock, { masterKey: new Uint8Array(32).fill(7) });
    log.append({ actor: 'mallory', action: 'view.access' });
    db.close();
    // The real gateway opens it next and records its key again (#4), sealing over them.
    db = openDurableDb(path);
    log = new AuditLog(db, clock);
    assert.equal(log.entries().at(-1)?.action, 'audit.keyed');
    db.close();
    assert.ok(existsSync(masterKeyPath(state)));

    const r = await verifyAuditDb(path);
    assert.equal(r.ok, false, r.message);
    assert.equal(auditExitCode(r), 1);
    assert.match(r.message, /audit entry #2 carries a MAC of key id [0-9a-f]{16}, after entry #0/);
    assert.match(r.message, /keys replace one another in order, so it was forged/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
