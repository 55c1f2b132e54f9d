import { test, describe, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GENESIS_HASH, hashEntry } from '@privet/core/record/index';
import { auditExitCode } from '../../../gateway/src/audit/verify.js';
import {
  AuditLog,
  formatAuditReport,
  hashEntrySync,
  openDurableDb,
  rowToEntry,
  verifyAuditDb,
  type AuditRow,
  type Db,
} from '../../../gateway/src/audit/index.js';
import { tamper } from './fixture.js';

let dir: string;
let path: string;
let db: Db;
let log: AuditLog;

/** Appends `n` entries: #1…#n (a fresh log starts with its audit.keyed entry, #0). */
function fill(n: number): void {
  for (let i = 0; i < n; i++) {
    log.append({
      actor: i % 3 === 0 ? 'sam' : 'alice',
      action: i % 2 === 0 ? 'query.reserved' : 'release',
      experiment: 'exp1',
      subject: `r${i}`,
      details: {
        query: `SELECT count(*) FROM patients_dp -- ${i}`,
        planHash: `p${i}`,
        epsilon: '1/10',
      },
    });
  }
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'privet-audit-'));
  path = join(dir, 'state.db');
  db = openDurableDb(path);
  log = new AuditLog(db, () => new Date('2026-03-01T12:00:00.000Z'));
});
afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('audit log', () => {
  test('appends a chain that verifies, hashed the same way as the Web Crypto verifier', async () => {
    fill(9);
    const entries = log.entries();
    assert.equal(entries.length, 10);
    for (const e of entries) assert.equal(hashEntrySync(e), await hashEntry(e));
    const report = await verifyAuditDb(path);
    assert.equal(report.ok, true, report.message);
    assert.equal(report.entries, 10);
    assert.deepEqual(report.head, log.head());
    assert.match(formatAuditReport(report), /^OK /);
    assert.equal((await log.verify()).ok, true);
  });

  test('an entry appended inside a failed transaction disappears with it', () => {
    fill(2);
    const before = log.entries().length;
    const failing = db.transaction(() => {
      log.append({ actor: 'alice', action: 'release', subject: 'never' });
      throw new Error('the action failed');
    });
    assert.throws(() => failing.immediate(), /the action failed/);
    assert.equal(log.entries().length, before);
  });

  test('triggers refuse UPDATE and DELETE', () => {
    fill(3);
    assert.throws(() => db.exec("UPDATE audit_log SET actor = 'x' WHERE seq = 1"), /append-only/);
    assert.throws(() => db.exec('DELETE FROM audit_log WHERE seq = 1'), /append-only/);
  });

  const cases: [string, string, number, RegExp][] = [
    ['an edited field', "UPDATE audit_log SET actor = 'mallory' WHERE seq = 4", 4, /edited/],
    [
      'edited details',
      `UPDATE audit_log SET details = '{"epsilon":"0"}' WHERE seq = 6`,
      6,
      /edited/,
    ],
    [
      'a deleted middle entry',
      'DELETE FROM audit_log WHERE seq = 5',
      5,
      /deleted, inserted or moved/,
    ],
    [
      'two reordered entries',
      'UPDATE audit_log SET seq = -1 WHERE seq = 3; UPDATE audit_log SET seq = 3 WHERE seq = 4; UPDATE audit_log SET seq = 4 WHERE seq = -1;',
      3,
      /prevHash mismatch/,
    ],
    [
      'an inserted entry',
      `UPDATE audit_log SET seq = seq + 1000 WHERE seq >= 2; UPDATE audit_log SET seq = seq - 999 WHERE seq >= 1000;
       INSERT INTO audit_log SELECT 2, at, actor, action, experiment, 'forged', details, prev_hash, hash, mac FROM audit_log WHERE seq = 1;`,
      2,
      /./,
    ],
    ['a deleted last entry', 'DELETE FROM audit_log WHERE seq = 9', 9, /deleted from the end/],
    [
      'an entry appended behind the gateway',
      `INSERT INTO audit_log SELECT 10, at, actor, action, experiment, subject, details, hash, hash, mac FROM audit_log WHERE seq = 9`,
      10,
      /./,
    ],
    ['a deleted head record', 'DELETE FROM audit_head', 0, /head record is missing/],
    // A dropped table is tampering too, not an error of the check (it threw "no such table").
    ['a dropped head table', 'DROP TABLE audit_head', 0, /head record is missing/],
    ['unreadable details', "UPDATE audit_log SET details = '{oops' WHERE seq = 7", 7, /unreadable/],
    [
      // JSON.parse keeps the last "epsilon" (the hashed one), SQLite's json_extract the first.
      'a duplicated key in details that readers see instead of the hashed value',
      `UPDATE audit_log SET details = '{"epsilon":"5",' || substr(details, 2) WHERE seq = 5`,
      5,
      /not in the canonical form .* edited/,
    ],
  ];
  for (const [what, sql, index, why] of cases) {
    test(`verification catches ${what} even with the triggers dropped`, async () => {
      fill(9);
      assert.equal((await verifyAuditDb(path)).ok, true);
      tamper(path, sql);
      const r = await verifyAuditDb(path);
      assert.equal(r.ok, false, `${what} went unnoticed`);
      assert.equal(r.firstBad?.index, index, r.message);
      assert.match(r.message, why);
      assert.match(r.message, /Fix: /);
      assert.match(formatAuditReport(r), /^TAMPERED /);
    });
  }

  test('a tail cut that also rewinds the head is caught by an external anchor', async () => {
    fill(9);
    const anchor = log.head();
    assert.ok(anchor);
    tamper(
      path,
      `DELETE FROM audit_log WHERE seq >= 8;
            UPDATE audit_head SET seq = 7, hash = (SELECT hash FROM audit_log WHERE seq = 7);`,
    );
    // Without an anchor, the head's MAC shows it (the rewound head has none).
    const alone = await verifyAuditDb(path);
    assert.equal(alone.ok, false, alone.message);
    assert.match(alone.message, /the recorded head \(audit_head\) at #7 carries no valid MAC/);
    assert.equal((await verifyAuditDb(path, [], { key: null })).ok, true, 'hashes alone');
    const r = await verifyAuditDb(path, [anchor]);
    assert.equal(r.ok, false);
    assert.match(
      r.message,
      /the log ends at entry #7, but the anchor 9:[0-9a-f]{64} vouches for entry #9 — the log was rewritten or cut at or before #8/,
    );
  });

  test('a tail cut under the recorded head is named as the recorded head, not as an anchor', async () => {
    fill(9);
    tamper(path, 'DELETE FROM audit_log WHERE seq >= 7');
    const r = await verifyAuditDb(path);
    assert.equal(r.ok, false);
    assert.equal(r.firstBad?.index, 7, r.message);
    assert.match(
      r.message,
      /the recorded head \(audit_head\) says the log ends at #9, but it ends at #6 — entries were deleted from the end/,
    );
    assert.doesNotMatch(r.message, /anchor/);
  });

  test('a recorded head whose hash differs from its entry is named as the recorded head', async () => {
    fill(9);
    tamper(path, `UPDATE audit_head SET hash = '${'0'.repeat(64)}'`);
    const r = await verifyAuditDb(path);
    assert.equal(r.ok, false);
    assert.equal(r.firstBad?.index, 9, r.message);
    assert.match(
      r.message,
      /the recorded head \(audit_head\) says the log ends at #9 with hash 0{64}, but entry #9 has [0-9a-f]{64}/,
    );
    assert.doesNotMatch(r.message, /anchor/);
  });

  test('with an anchor, a middle entry removed and the rest re-hashed reads as a rewrite, not a cut', async () => {
    fill(9);
    const anchor = log.head();
    assert.ok(anchor);
    // Entry #5 removed, #6… renumbered and re-hashed, the head moved: consistent on its own.
    const raw = openDurableDb(path);
    raw.exec('DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;');
    const rows = raw.prepare<[], AuditRow>('SELECT * FROM audit_log ORDER BY seq').all();
    raw.exec('DELETE FROM audit_log');
    const insert = raw.prepare(
      'INSERT INTO audit_log VALUES (@seq, @at, @actor, @action, @experiment, @subject, @details, @prev_hash, @hash, @mac)',
    );
    let prev = GENESIS_HASH;
    rows
      .filter((r) => r.seq !== 5)
      .forEach((r, seq) => {
        const { hash: _stale, ...body } = { ...rowToEntry(r), seq, prevHash: prev };
        const hash = hashEntrySync(body);
        insert.run({ ...r, seq, prev_hash: prev, hash });
        prev = hash;
      });
    raw.prepare('UPDATE audit_head SET seq = ?, hash = ?').run(rows.length - 2, prev);
    raw.close();
    // Consistent for the hashes alone; the MACs (made with the key, which a rewrite lacks) show it.
    assert.equal((await verifyAuditDb(path, [], { key: null })).ok, true, 'hashes alone');
    assert.match((await verifyAuditDb(path)).message, /#5 has a valid hash chain but a wrong MAC/);
    const r = await verifyAuditDb(path, [anchor]);
    assert.equal(r.ok, false);
    assert.match(r.message, /the log was rewritten or cut at or before #9/);
    assert.doesNotMatch(r.message, /deleted from the end/);
  });

  test('a missing file or a file without a log is reported, not thrown', async () => {
    const missing = await verifyAuditDb(join(dir, 'nope.db'));
    assert.equal(missing.ok, false);
    assert.equal(missing.problem, 'no-database');
    assert.match(missing.message, /no gateway database to check: .* has no nope\.db\. Fix: /);
    const other = openDurableDb(join(dir, 'other.db'));
    other.exec('CREATE TABLE t (x INTEGER)');
    other.close();
    const empty = await verifyAuditDb(join(dir, 'other.db'));
    assert.match(empty.message, /has no audit log/);
  });

  test('no database (missing folder or file) is not tampering: NO DATABASE, exit code 2', async () => {
    for (const [p, what] of [
      [
        join(dir, 'no-such-folder', 'privet.db'),
        /the state folder .*no-such-folder does not exist/,
      ],
      [join(dir, 'privet.db'), /has no privet\.db/],
    ] as const) {
      const r = await verifyAuditDb(p);
      assert.equal(r.problem, 'no-database');
      assert.match(r.message, what);
      assert.match(r.message, /Fix: pass --state .*privet serve.*npm start` uses \.privet\/demo/);
      assert.match(formatAuditReport(r), /^NO DATABASE /);
      assert.doesNotMatch(formatAuditReport(r), /TAMPERED/);
      assert.equal(auditExitCode(r), 2);
    }
    assert.equal(auditExitCode(await verifyAuditDb(path)), 0);
  });

  test('a corrupt or non-database file fails verification (exit 1), naming the path and the fix', async () => {
    fill(300);
    db.close();
    const text = join(dir, 'text.db');
    writeFileSync(text, 'these are notes, not a database\n'.repeat(200));
    // A copy cut short: the header says more pages than the file holds.
    const truncated = join(dir, 'truncated.db');
    const whole = readFileSync(path);
    writeFileSync(truncated, whole.subarray(0, Math.floor(whole.length / 2)));
    for (const p of [text, truncated]) {
      const r = await verifyAuditDb(p);
      assert.equal(r.ok, false, p);
      assert.equal(r.problem, 'unreadable', r.message);
      assert.ok(r.message.includes(`${p} is unreadable`), r.message);
      assert.match(r.message, /Fix: restore the state database from a backup/);
      assert.match(formatAuditReport(r), /^UNREADABLE /);
      assert.equal(auditExitCode(r), 1);
    }
    db = openDurableDb(path);
  });
});
