import { test, describe, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import type { JsonValue } from '@privet/core/record/index';
import {
  formatAnchor,
  type AuditLog,
  verifyAuditDb,
  type Db,
} from '../../../gateway/src/audit/index.js';
import {
  ensureCheckpointTable,
  pruneAuditLog,
  readCheckpoint,
} from '../../../gateway/src/audit/retention.js';
import type { AuditRow } from '../../../gateway/src/audit/rows.js';
import { privet } from '../run-cli.js';
import { DAY, openClockedLog, type ClockedLog } from './fixture.js';

let fx: ClockedLog;
let dir: string;
let path: string;
let db: Db;
let log: AuditLog;
let now: { t: number };
let fill: ClockedLog['fill'];

/**
 * Prunes through entry `throughSeq` (default: the newest) the way someone with write access could
 * (or as pruneAuditLog did before it refused a clock ahead of the log's): an `audit.pruned` entry
 * with these details, the checkpoint keeping that entry whole, the deletion.
 */
function forgePrune(details: { [key: string]: JsonValue }, throughSeq?: number): void {
  const through = db
    .prepare<[number], AuditRow>('SELECT * FROM audit_log WHERE seq = ?')
    .get(throughSeq ?? log.head()!.seq)!;
  log.append({
    actor: 'gateway',
    action: 'audit.pruned',
    details: {
      throughSeq: through.seq,
      throughHash: through.hash,
      entries: through.seq + 1,
      ...details,
    },
  });
  ensureCheckpointTable(db);
  db.prepare(
    'INSERT OR REPLACE INTO audit_checkpoint (id, seq, hash, entry) VALUES (0, ?, ?, ?)',
  ).run(through.seq, through.hash, JSON.stringify(through));
  db.exec('DROP TRIGGER IF EXISTS audit_log_no_delete');
  db.prepare('DELETE FROM audit_log WHERE seq <= ?').run(through.seq);
}

beforeEach(() => {
  // privet.db: a state folder, as `privet audit verify --state` reads
  fx = openClockedLog('privet-audit-forgery-', 'privet.db');
  ({ dir, path, db, log, now, fill } = fx);
});
afterEach(() => fx.close());

// The fixture's log starts with its audit.keyed entry (#0, day 0): fill(n - 1) gives #0…#(n-1).
describe('anchors and the retention checkpoint', () => {
  test('(A) a wiped log with a checkpoint forged exactly at the anchor is not confirmed', async () => {
    fill(9, 60_000);
    const anchor = log.head()!; // #9
    assert.equal((await verifyAuditDb(path, [anchor])).ok, true);
    // A well-formed prune record: cutoff 30 days before its own time.
    forgePrune({ olderThan: new Date(now.t - 30 * DAY).toISOString(), retentionDays: 30 });
    assert.deepEqual(readCheckpoint(db), anchor);
    const v = await verifyAuditDb(path, [anchor]);
    assert.equal(v.ok, false, 'every entry the anchor vouched for is gone');
    assert.equal(v.firstBad?.index, 9);
    assert.ok(
      v.message.includes(`the anchor ${formatAnchor(anchor)} predates the last prune`),
      v.message,
    );
    assert.match(v.message, /pruned through entry #9 .*cannot be confirmed/);
    assert.match(v.message, /take a fresh anchor after each prune/);
  });

  test('a prune of recent entries behind an anchor fails: the kept last entry is too young', async () => {
    // The security review's forgery: twenty entries a minute apart, an anchor at #19, three more;
    // then a well-formed prune record (cutoff 30 days back) deleting #0…#18, minutes old.
    fill(19, 60_000);
    const anchor = log.head()!;
    fill(3, 60_000);
    forgePrune({ olderThan: new Date(now.t - 30 * DAY).toISOString(), retentionDays: 30 }, 18);
    const v = await verifyAuditDb(path, [anchor], { retentionDays: 30 });
    assert.equal(v.ok, false, v.message);
    assert.match(
      v.message,
      /the last pruned entry #18 is dated .*, not before the prune's cutoff .* — entries were deleted before their retention period ended/,
    );
    // The checkpoint's entry cannot be swapped for an older-looking one: the chain fixes its hash.
    const kept = JSON.parse(
      db.prepare<[], { entry: string }>('SELECT entry FROM audit_checkpoint').get()!.entry,
    ) as AuditRow;
    db.prepare('UPDATE audit_checkpoint SET entry = ?').run(
      JSON.stringify({ ...kept, at: new Date(now.t - 90 * DAY).toISOString() }),
    );
    assert.match(
      (await verifyAuditDb(path, [anchor])).message,
      /keeps a last pruned entry that is not the one the log links to/,
    );
    // Nor left out.
    db.prepare('UPDATE audit_checkpoint SET entry = NULL').run();
    assert.match(
      (await verifyAuditDb(path, [anchor])).message,
      /does not keep the last pruned entry/,
    );
  });

  test('after a real prune, an anchor at the checkpoint fails and one taken after it verifies', async () => {
    fill(7); // #0…#7, days 0…7; the clock is day 8
    const atCheckpoint = { seq: 3, hash: log.entries()[3]!.hash };
    pruneAuditLog(log, 4, new Date(now.t)); // prunes #0…#3
    assert.equal(readCheckpoint(db)?.seq, 3);
    const stale = await verifyAuditDb(path, [atCheckpoint]);
    assert.equal(stale.ok, false);
    assert.match(stale.message, /predates the last prune/);
    const fresh = await verifyAuditDb(path);
    assert.equal(fresh.ok, true, fresh.message);
    assert.equal((await verifyAuditDb(path, [fresh.head!])).ok, true);
  });
});

describe('an audit.pruned entry must be possible', () => {
  test('(B) pruneAuditLog with a clock ahead of the log is refused and changes nothing', () => {
    fill(9, 60_000); // ten minutes of entries, retention 30 days: nothing is due
    const head = log.head();
    assert.throws(
      () => pruneAuditLog(log, 30, new Date(now.t + 60 * DAY)),
      /cannot prune the audit log as of .*: the log's clock says .*earlier.*Fix: prune with the gateway's clock/,
    );
    assert.deepEqual(log.head(), head);
    assert.equal(log.entries().length, 10);
  });

  test('(B) a prune record whose cutoff is less than its retention before its own time fails', async () => {
    fill(9, 60_000);
    // What pruneAuditLog wrote when run with a clock 60 days ahead: olderThan = at + 30 days.
    forgePrune({ olderThan: new Date(now.t + 30 * DAY).toISOString(), retentionDays: 30 });
    const v = await verifyAuditDb(path);
    assert.equal(v.ok, false, v.message);
    assert.equal(v.firstBad?.index, 10);
    assert.match(
      v.message,
      /audit entry #10: is an audit.pruned entry dated .* that deleted entries up to .*, less than its 30 days of retention before its own time — the prune ran with a clock set ahead/,
    );
  });

  test('a prune dated ahead is caught by the next entry, dated earlier', async () => {
    fill(9, 60_000);
    now.t += 60 * DAY; // both clocks ahead: the prune record is consistent on its face
    pruneAuditLog(log, 30, new Date(now.t));
    assert.equal((await verifyAuditDb(path)).ok, true, 'nothing after it yet');
    now.t -= 60 * DAY; // the gateway, back on the right time, goes on writing
    fill(1, 60_000);
    const v = await verifyAuditDb(path);
    assert.equal(v.ok, false, v.message);
    assert.equal(v.firstBad?.index, 11);
    assert.match(v.message, /audit entry #11: is dated .*, before entry #10 .*clock set ahead/);
  });

  test('a prune dated ahead of the check deletes no entry unnoticed, even behind an anchor', async () => {
    fill(9, 60_000);
    const anchor = log.head()!; // #9, taken before the attack
    const real = now.t;
    now.t += 30 * DAY; // a forged prune record, dated ahead so its cutoff passes #0…#8
    forgePrune({ olderThan: new Date(now.t - 30 * DAY).toISOString(), retentionDays: 30 }, 8);
    const v = await verifyAuditDb(path, [anchor], { retentionDays: 30, now: real });
    assert.equal(v.ok, false, v.message);
    assert.equal(v.firstBad?.index, 10);
    assert.match(v.message, /audit entry #10: is dated .*, after the time of this check/);
    assert.match(v.message, /Fix: /);
    // Checked later than the record's date, it is possible on its face (the next entry catches it).
    const later = await verifyAuditDb(path, [anchor], { retentionDays: 30, now: now.t });
    assert.equal(later.ok, true, later.message);
  });

  test('a small step back of the wall clock along a pruned log is not tampering', async () => {
    fill(7);
    pruneAuditLog(log, 4, new Date(now.t));
    now.t -= 60_000; // a time service steps the clock back one minute
    fill(2, 1_000);
    const v = await verifyAuditDb(path);
    assert.equal(v.ok, true, v.message);
  });

  const malformed: [string, { [key: string]: JsonValue }, RegExp][] = [
    [
      'retentionDays 0',
      { olderThan: '2000-01-01T00:00:00.000Z', retentionDays: 0 },
      /retentionDays \(0\)/,
    ],
    ['no retentionDays', { olderThan: '2000-01-01T00:00:00.000Z' }, /retentionDays \(undefined\)/],
    [
      'olderThan not a date',
      { olderThan: 'yesterday', retentionDays: 30 },
      /olderThan \("yesterday"\) is not a date/,
    ],
  ];
  for (const [what, details, why] of malformed) {
    test(`a prune record with ${what} is forged`, async () => {
      fill(3, 60_000);
      forgePrune(details);
      const v = await verifyAuditDb(path);
      assert.equal(v.ok, false, v.message);
      assert.match(v.message, why);
    });
  }

  test("the last prune must keep entries at least the policy's retention, when it is known", async () => {
    fill(9); // days 0…9
    pruneAuditLog(log, 3, new Date(now.t)); // a 3-day prune: #0…#6
    assert.equal((await verifyAuditDb(path, [], { retentionDays: 3 })).ok, true);
    assert.equal((await verifyAuditDb(path)).ok, true, 'the policy is not known');
    const v = await verifyAuditDb(path, [], { retentionDays: 30 });
    assert.equal(v.ok, false);
    assert.equal(v.firstBad?.index, 10);
    assert.match(
      v.message,
      /the last prune \(audit.pruned entry #10\) kept entries only 3 days, but the policy keeps them 30 days/,
    );
    assert.equal((await log.verify([], { retentionDays: 30 })).ok, false);
  });
  test('privet audit verify --policy checks the last prune against retention.audit_log_days', () => {
    fill(9);
    pruneAuditLog(log, 3, new Date(now.t));
    assert.equal(privet('audit', 'verify', '--state', dir).code, 0);
    // The fixture policy keeps audit entries 30 days.
    const policy = fileURLToPath(new URL('../../fixtures/http/policy.yaml', import.meta.url));
    const r = privet('audit', 'verify', '--state', dir, '--policy', policy);
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.match(r.stdout, /kept entries only 3 days, but the policy keeps them 30 days/);
  });
});
