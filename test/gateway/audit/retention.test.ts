import { test, describe, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import {
  openDurableDb,
  verifyAuditDb,
  type AuditLog,
  type Db,
} from '../../../gateway/src/audit/index.js';
import { canonicalJson } from '@privet/core/record/index';
import { hashEntrySync } from '../../../gateway/src/audit/log.js';
import {
  ensureCheckpointTable,
  pruneAuditLog,
  readCheckpoint,
} from '../../../gateway/src/audit/retention.js';
import { DAY, openClockedLog, tamper, type ClockedLog } from './fixture.js';

let fx: ClockedLog;
let path: string;
let db: Db;
let log: AuditLog;
let now: { t: number };
let fill: ClockedLog['fill'];

function seqs(): number[] {
  return db
    .prepare<[], { seq: number }>('SELECT seq FROM audit_log ORDER BY seq')
    .all()
    .map((r) => r.seq);
}

beforeEach(() => {
  fx = openClockedLog('privet-audit-retention-');
  ({ path, db, log, now, fill } = fx);
});
afterEach(() => fx.close());

describe('audit retention', () => {
  test('prunes entries older than the period behind a checkpoint; the rest still verifies', async () => {
    fill(9); // entries #1…#9 on days 1…9 (#0 audit.keyed, day 0); the clock is now day 10
    const report = pruneAuditLog(log, 3, new Date(now.t));
    // Entries of days 7, 8, 9 are within 3 days of day 10; #0…#6 go.
    assert.equal(report.pruned, 7);
    assert.deepEqual(report.checkpoint?.seq, 6);
    assert.deepEqual(seqs(), [7, 8, 9, 10]);
    const pruned = log.entries({ fromSeq: 10 })[0];
    assert.equal(pruned?.action, 'audit.pruned');
    assert.equal(pruned?.details['throughSeq'], 6);
    assert.equal(pruned?.details['entries'], 7);
    assert.equal(pruned?.details['retentionDays'], 3);
    const v = await verifyAuditDb(path);
    assert.equal(v.ok, true, v.message);
    assert.match(v.message, /#0…#6 pruned under the retention policy/);
    assert.equal(v.entries, 11);
    // Appending and pruning again moves the checkpoint forward and still verifies.
    now.t += 2 * DAY;
    fill(2);
    const again = pruneAuditLog(log, 3, new Date(now.t));
    assert.ok(again.pruned > 0 && (again.checkpoint?.seq ?? 0) > 6);
    const v2 = await verifyAuditDb(path);
    assert.equal(v2.ok, true, v2.message);
  });

  test('nothing due: nothing deleted and no entry written', () => {
    fill(4);
    const head = log.head();
    assert.deepEqual(pruneAuditLog(log, 30, new Date(now.t)), { pruned: 0 });
    assert.deepEqual(log.head(), head);
    assert.equal(readCheckpoint(db), undefined);
  });

  test('the append-only triggers still refuse deletes after a pruning run', () => {
    fill(5);
    pruneAuditLog(log, 2, new Date(now.t));
    assert.throws(() => db.prepare('DELETE FROM audit_log WHERE seq = 5').run(), /append-only/);
    assert.throws(() => db.prepare("UPDATE audit_log SET actor = 'x'").run(), /append-only/);
  });

  const attacks: [string, string][] = [
    ['a further entry cut after the checkpoint', 'DELETE FROM audit_log WHERE seq = 4'],
    [
      'a further cut with the checkpoint moved along',
      `DELETE FROM audit_log WHERE seq = 4;
       UPDATE audit_checkpoint SET seq = 4, hash = (SELECT prev_hash FROM audit_log WHERE seq = 5)`,
    ],
    ['an edited checkpoint hash', "UPDATE audit_checkpoint SET hash = '" + 'f'.repeat(64) + "'"],
    ['an edited kept entry', "UPDATE audit_log SET actor = 'mallory' WHERE seq = 5"],
    ['a deleted checkpoint', 'DELETE FROM audit_checkpoint'],
  ];
  test('an anchor inside the pruned part fails verification: a wiped log with a forged checkpoint looks the same', async () => {
    fill(9); // #0…#9
    const anchor = log.head()!;
    assert.equal((await verifyAuditDb(path, [anchor])).ok, true);
    // Someone with write access wipes the log and forges a retention checkpoint past the anchor.
    const cp = { seq: anchor.seq + 1, hash: 'f'.repeat(64) };
    const body = {
      seq: cp.seq + 1,
      at: new Date(now.t).toISOString(),
      actor: 'gateway',
      action: 'audit.pruned' as const,
      experiment: null,
      subject: null,
      details: {
        throughSeq: cp.seq,
        throughHash: cp.hash,
        entries: cp.seq + 1,
        olderThan: '2000-01-01T00:00:00.000Z',
        retentionDays: 3650,
      },
      prevHash: cp.hash,
    };
    const hash = hashEntrySync(body);
    tamper(path, `DELETE FROM audit_log`);
    const raw = openDurableDb(path);
    ensureCheckpointTable(raw);
    raw
      .prepare('INSERT INTO audit_log VALUES (?,?,?,?,?,?,?,?,?,?)')
      .run(
        body.seq,
        body.at,
        body.actor,
        body.action,
        null,
        null,
        canonicalJson(body.details),
        body.prevHash,
        hash,
        null,
      );
    raw
      .prepare('INSERT OR REPLACE INTO audit_checkpoint (id, seq, hash) VALUES (0, ?, ?)')
      .run(cp.seq, cp.hash);
    raw.prepare('UPDATE audit_head SET seq = ?, hash = ? WHERE id = 0').run(body.seq, hash);
    raw.close();
    const v = await verifyAuditDb(path, [anchor]);
    assert.equal(v.ok, false, 'every anchored entry is gone');
    assert.match(v.message, /the anchor 9:[0-9a-f]{64} predates the last prune/);
    assert.match(v.message, /the log was pruned through entry #10/);
  });

  test('after a real prune, an older anchor cannot be checked (take one after it); a newer one verifies', async () => {
    fill(7);
    const old = log.head()!; // #7
    pruneAuditLog(log, 4, new Date(now.t)); // prunes #0…#3: #7 is kept
    assert.equal((await verifyAuditDb(path, [old])).ok, true, 'a kept anchored entry still checks');
    fill(5);
    pruneAuditLog(log, 2, new Date(now.t)); // prunes through #7 or later
    const stale = await verifyAuditDb(path, [old]);
    assert.equal(stale.ok, false);
    assert.match(stale.message, /take a fresh anchor after each prune/);
    assert.equal((await verifyAuditDb(path, [log.head()!])).ok, true);
  });

  for (const [what, sql] of attacks) {
    test(`verification of a pruned log catches ${what}`, async () => {
      fill(7); // #0…#7; now day 8
      pruneAuditLog(log, 4, new Date(now.t)); // prunes #0…#3, appends #8
      assert.equal((await verifyAuditDb(path)).ok, true);
      tamper(path, sql);
      const v = await verifyAuditDb(path);
      assert.equal(v.ok, false, `not detected: ${what}`);
      assert.match(v.message, /Fix:/);
    });
  }
});
