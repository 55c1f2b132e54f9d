/**
 * The recorded head (audit_head) carries its own MAC from the point the signed chain says so, so
 * a cut of the newest entries with the head rewound is TAMPERED without any anchor; a log keyed
 * by the previous version (entry MACs, head without MAC) gets that point recorded when a gateway
 * of this version opens it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AuditLog,
  AuditMacKey,
  auditExitCode,
  formatAuditReport,
  openDurableDb,
  verifyAuditDb,
} from '../../../gateway/src/audit/index.js';
import { pruneAuditLog } from '../../../gateway/src/audit/retention.js';
import { keyedMarkerPath } from '../../../gateway/src/audit/keyed-marker.js';
import { headMarkPath } from '../../../gateway/src/audit/head-mark.js';
import { loadOrCreateMasterKey } from '../../../gateway/src/keys.js';
import { privet } from '../run-cli.js';
import { openClockedLog, tamper, writeOlderLog } from './fixture.js';

/** Cuts every entry after `keep` and rewinds the head onto it (its MAC column left as it was). */
function cutTail(path: string, keep: number): void {
  tamper(
    path,
    `DELETE FROM audit_log WHERE seq > ${keep};
     UPDATE audit_head SET seq = ${keep}, hash = (SELECT hash FROM audit_log WHERE seq = ${keep});`,
  );
}

test('a tail cut with the head rewound is TAMPERED without an anchor, and says what to do', async () => {
  const t = openClockedLog('privet-head-mac-', 'privet.db');
  try {
    t.fill(6);
    cutTail(t.path, 3);
    const r = await verifyAuditDb(t.path);
    assert.equal(r.ok, false, r.message);
    assert.equal(r.firstBad?.index, 3);
    assert.match(
      r.message,
      /the recorded head \(audit_head\) at #3 carries no valid MAC, though the chain says the head is MACed from entry #0 on: entries after it may have been cut and the head rewound/,
    );
    assert.match(r.message, /Fix: compare the log with the anchors you kept outside this host/);
    assert.match(r.message, /restore the database from a backup/);
    assert.match(formatAuditReport(r), /^TAMPERED /);
    assert.equal(auditExitCode(r), 1);
    const cli = privet('audit', 'verify', '--state', t.dir);
    assert.equal(cli.code, 1, cli.stdout + cli.stderr);
    assert.match(cli.stdout, /^TAMPERED .*\n.*at #3 carries no valid MAC/);

    // A head MAC set to NULL (or the column dropped) is no way out either.
    tamper(t.path, 'UPDATE audit_head SET mac = NULL');
    const nulled = await verifyAuditDb(t.path);
    assert.match(nulled.message, /at #3 carries no MAC, though the chain says/);
  } finally {
    t.close();
  }
});

test("a head whose MAC was copied from its entry's MAC is TAMPERED (the preimages differ)", async () => {
  const t = openClockedLog('privet-head-mac-');
  try {
    t.fill(5);
    cutTail(t.path, 2);
    tamper(t.path, 'UPDATE audit_head SET mac = (SELECT mac FROM audit_log WHERE seq = 2)');
    const r = await verifyAuditDb(t.path);
    assert.equal(r.ok, false, r.message);
    assert.match(r.message, /the recorded head \(audit_head\) at #2 carries no valid MAC/);
    assert.match(formatAuditReport(r), /^TAMPERED /);
    // Intact, the head's MAC is checked and the report says so.
    const fresh = openClockedLog('privet-head-mac-');
    try {
      fresh.fill(2);
      const ok = await verifyAuditDb(fresh.path);
      assert.equal(ok.ok, true, ok.message);
      assert.match(ok.message, /the recorded head's MAC checked \(in force from entry #0\)/);
    } finally {
      fresh.close();
    }
  } finally {
    t.close();
  }
});

test("the gateway's next write after a cut does not erase it: its audit.keyed entry records the head", async () => {
  const t = openClockedLog('privet-head-mac-');
  try {
    t.fill(5);
    cutTail(t.path, 3);
    // A gateway (re)starting on the cut log appends, which rewrites the head with a valid MAC.
    const db = openDurableDb(t.path);
    const log = new AuditLog(db, () => new Date(t.now.t));
    log.append({ actor: 'alice', action: 'view.access', experiment: 'e' });
    const keyed = log.entries({ fromSeq: 4 })[0];
    assert.equal(keyed?.action, 'audit.keyed');
    assert.equal(keyed?.details['head'], 'no valid MAC for the newest entry');
    db.close();
    const r = await verifyAuditDb(t.path);
    assert.equal(r.ok, false, r.message);
    assert.equal(r.firstBad?.index, 4);
    assert.match(
      r.message,
      /audit entry #4 \(audit.keyed\) records that the gateway found the recorded head \(audit_head\) without a valid MAC/,
    );
    assert.match(formatAuditReport(r), /^TAMPERED /);
  } finally {
    t.close();
  }
});

test('head MACs stay in force after a prune deleted the audit.keyed entry that started them', async () => {
  const t = openClockedLog('privet-head-mac-');
  try {
    t.fill(9);
    pruneAuditLog(t.log, 3, new Date(t.now.t)); // prunes #0…#6, appends audit.pruned #10
    t.fill(3); // #11…#13
    assert.equal((await verifyAuditDb(t.path)).ok, true);
    cutTail(t.path, 11);
    const r = await verifyAuditDb(t.path);
    assert.equal(r.ok, false, r.message);
    assert.match(
      r.message,
      /at #11 carries no valid MAC, though the chain says the head is MACed from entry #10 on/,
    );
  } finally {
    t.close();
  }
});

test('upgrade: a log keyed without head MACs gets an audit.keyed entry starting them; then a cut is TAMPERED', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'privet-head-mac-up-'));
  const path = join(dir, 'privet.db');
  try {
    const key = new AuditMacKey(loadOrCreateMasterKey(dir));
    writeOlderLog(path, 5, key);
    const before = await verifyAuditDb(path);
    assert.equal(before.ok, true, before.message);
    assert.match(
      before.message,
      /the recorded head \(audit_head\) carries no MAC yet, so a cut of the newest entries with the head rewound is caught only by anchors until a gateway of this version opens the log/,
    );

    // A gateway of this version opens it (twice: recorded once).
    for (let i = 0; i < 2; i++) {
      const db = openDurableDb(path);
      new AuditLog(db, () => new Date('2026-02-02T00:00:00.000Z'));
      db.close();
    }
    const db = openDurableDb(path);
    const log = new AuditLog(db, () => new Date('2026-02-02T00:00:00.000Z'));
    const keyed = log.entries().filter((e) => e.action === ('audit.keyed' as string));
    assert.equal(keyed.length, 1);
    assert.equal(keyed[0]?.seq, 5);
    assert.equal(keyed[0]?.details['headMac'], true);
    assert.equal(keyed[0]?.details['previous'], 'MAC of this key');
    for (let i = 0; i < 3; i++) log.append({ actor: 'alice', action: 'view.access' });
    db.close();
    const after = await verifyAuditDb(path);
    assert.equal(after.ok, true, after.message);
    assert.match(after.message, /the recorded head's MAC checked \(in force from entry #5\)/);

    cutTail(path, 6);
    const cut = await verifyAuditDb(path);
    assert.equal(cut.ok, false, cut.message);
    assert.match(
      cut.message,
      /at #6 carries no valid MAC, though the chain says the head is MACed from entry #5 on/,
    );

    // Cut back to before the head-MAC entry, the chain no longer says head MACs are in force:
    // only the marker beside master.key (or an anchor) shows it.
    cutTail(path, 3);
    const deep = await verifyAuditDb(path);
    assert.equal(deep.ok, false, deep.message);
    assert.match(
      deep.message,
      /records that the recorded head carries a MAC from entry #5 on, but the log ends at #3/,
    );
    rmSync(keyedMarkerPath(path));
    // The head mark (#8) still shows the cut; without it as well, a residual limit.
    assert.match(
      (await verifyAuditDb(path)).message,
      /records that the gateway committed audit entry #8/,
    );
    rmSync(headMarkPath(path));
    assert.equal((await verifyAuditDb(path)).ok, true, 'without the markers: a residual limit');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
