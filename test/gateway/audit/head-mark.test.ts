/**
 * The audit head mark beside the database: a database put back to an earlier copy of itself (every
 * MAC genuine, so the log alone verifies intact, while spent privacy budget comes back) is
 * TAMPERED at verify and refused when the gateway opens it; a mark behind the database (a crash
 * before its write) is no alarm, and a forged or damaged mark is a problem.
 */
import { test } from 'node:test';
import Database from 'better-sqlite3';
import assert from 'node:assert/strict';
import { readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  AuditMacKey,
  auditExitCode,
  auditVerdict,
  formatAuditReport,
  verifyAuditDb,
  type AuditReport,
} from '../../../gateway/src/audit/index.js';
import {
  AuditRollbackError,
  headMarkPath,
  writeHeadMark,
} from '../../../gateway/src/audit/head-mark.js';
import { pruneAuditLog } from '../../../gateway/src/audit/retention.js';
import { startGateway } from '../../../gateway/src/http/server.js';
import { loadOrCreateMasterKey } from '../../../gateway/src/keys.js';
import { privet } from '../run-cli.js';
import { openClockedLog } from './fixture.js';
import {
  newestEntry,
  readMarkFile,
  rollbackState,
  writtenPastMark,
  type MarkFile,
  type RollbackState,
} from './rollback-fixture.js';

/** The head mark file beside the state's database. */
const readMark = (st: RollbackState): MarkFile => readMarkFile(st.dbPath);
/** The newest entry of the database (read-only). */
const newest = newestEntry;

function assertTampered(r: AuditReport): void {
  assert.equal(r.ok, false, r.message);
  assert.equal(r.problem, undefined, r.message);
  assert.equal(auditVerdict(r), 'tampered');
  assert.equal(auditExitCode(r), 1);
  assert.match(formatAuditReport(r), /^TAMPERED /);
}

/** Asserts that opening the database for writing is refused with `code`, and returns the error. */
function assertRefused(
  st: RollbackState,
  code: AuditRollbackError['code'],
  says?: RegExp,
): AuditRollbackError {
  let caught: unknown;
  try {
    st.open().close();
  } catch (e) {
    caught = e;
  }
  assert.ok(caught instanceof AuditRollbackError, String(caught));
  assert.equal(caught.code, code);
  assert.equal(caught.path, st.dbPath);
  assert.ok(caught.message.startsWith(`refusing to open ${st.dbPath}, which was left as it is: `));
  if (says) assert.match(caught.message, says);
  return caught;
}

test('the gateway marks its committed head (0600, MACed), coalesced while it writes and at close', async () => {
  const st = rollbackState('privet-head-mark-');
  try {
    const markPath = headMarkPath(st.dbPath);
    assert.equal(statSync(markPath).mode & 0o777, 0o600);
    const key = new AuditMacKey(loadOrCreateMasterKey(st.stateDir));
    const first = readMark(st);
    assert.deepEqual(first, { version: 1, ...newest(st.dbPath), mac: first.mac });
    assert.equal(key.verifiesHeadMark(first.mac, 'privet.db', first.seq, first.hash), true);

    const s = st.open();
    try {
      for (let i = 0; i < 3; i++) {
        const id = s.ledger.reserve({
          experiment: 'exp1',
          source: 'people',
          user: 'ana',
          epsilon: '0.1',
          query: 'SELECT avg(income) FROM people_dp',
          planHash: 'plan-1',
        });
        s.ledger.commit(id, `r${i}`);
      }
      // Not one file write per entry: the mark follows within a second.
      const head = s.audit.head();
      assert.ok(head && head.seq > first.seq);
      assert.equal(readMark(st).seq, first.seq);
      await sleep(1300);
      assert.deepEqual({ seq: readMark(st).seq, hash: readMark(st).hash }, head);
      s.audit.append({ actor: 'stu', action: 'view.access', subject: 'people_masked' });
    } finally {
      s.close();
    }
    // The last head is marked when the connection closes.
    const mark = readMark(st);
    assert.deepEqual({ seq: mark.seq, hash: mark.hash }, newest(st.dbPath));
    assert.equal(key.verifiesHeadMark(mark.mac, 'privet.db', mark.seq, mark.hash), true);
  } finally {
    st.remove();
  }
});

test('an earlier copy of the database put back is TAMPERED and refused at start, naming both files and the fix', async () => {
  const st = rollbackState('privet-head-mark-');
  try {
    st.charge(2);
    const t1 = st.copy('t1.db');
    st.charge(3);
    assert.equal(st.spent(), '0.5');
    const head = newest(st.dbPath);
    st.restore(t1);
    const before = readFileSync(st.dbPath);

    const r = await verifyAuditDb(st.dbPath);
    assertTampered(r);
    const markPath = headMarkPath(st.dbPath);
    assert.ok(
      r.message.includes(
        `the database is older than the newest audit head this gateway recorded: ${markPath} records that the gateway committed audit entry #${head.seq}, but ${st.dbPath} ends at entry #${newest(st.dbPath).seq}`,
      ),
      r.message,
    );
    assert.match(r.message, /privacy budget charged after that copy can be spent again/);
    assert.ok(r.message.includes(`Fix: restore the newest backup of ${st.dbPath}`), r.message);
    assert.ok(r.message.includes(`move ${markPath} aside`), r.message);
    assert.match(r.message, /lower the affected budgets in the policy/);

    // Every process that would write to it refuses, and leaves it as it is.
    const refused = assertRefused(st, 'audit_rolled_back');
    assert.equal(refused.what, r.firstBad?.message);
    await assert.rejects(
      startGateway({ policyPath: st.policyPath, stateDir: st.stateDir, port: 0 }),
      (e: unknown) => e instanceof AuditRollbackError && e.code === 'audit_rolled_back',
    );
    assert.deepEqual(readFileSync(st.dbPath), before);

    const cli = privet('audit', 'verify', '--state', st.stateDir);
    assert.equal(cli.code, 1, cli.stdout + cli.stderr);
    assert.match(cli.stdout, /^TAMPERED /);
    assert.match(cli.stdout, /the database is older than the newest audit head/);
    const serve = privet('serve', '--policy', st.policyPath, '--state', st.stateDir, '--port', '0');
    assert.equal(serve.code, 1, serve.stdout + serve.stderr);
    assert.ok(serve.stderr.startsWith(`privet: refusing to open ${st.dbPath}`), serve.stderr);
    assert.match(serve.stderr, /Fix: restore the newest backup/);

    // Restored on purpose: with the mark moved aside (the residual it closes), the ledger is back
    // at the copy's 0.2, and the gateway marks the restored head anew.
    rmSync(markPath);
    assert.equal((await verifyAuditDb(st.dbPath)).ok, true);
    assert.equal(st.spent(), '0.2');
    assert.equal(readMark(st).seq, newest(st.dbPath).seq);
  } finally {
    st.remove();
  }
});

test('a copy that was then written to past the marked entry is TAMPERED: that entry differs', async () => {
  const st = rollbackState('privet-head-mark-');
  try {
    const marked = writtenPastMark(st);

    const r = await verifyAuditDb(st.dbPath);
    assertTampered(r);
    assert.match(
      r.message,
      new RegExp(
        `records that the gateway committed audit entry #${marked.seq} with hash ${marked.hash}, but entry #${marked.seq} of .* has [0-9a-f]{64}`,
      ),
    );
    assert.equal(r.firstBad?.index, marked.seq);
    assertRefused(st, 'audit_rolled_back');
  } finally {
    st.remove();
  }
});

test('an untouched database is intact and starts; a mark behind it (a crash before its write) is no alarm', async () => {
  const st = rollbackState('privet-head-mark-');
  try {
    st.charge(2);
    const markPath = headMarkPath(st.dbPath);
    const earlier = readFileSync(markPath);
    st.charge(2);
    const intact = await verifyAuditDb(st.dbPath);
    assert.equal(intact.ok, true, intact.message);
    assert.match(
      intact.message,
      new RegExp(`the gateway's head mark \\(#${readMark(st).seq}\\) matched`),
    );

    writeFileSync(markPath, earlier, { mode: 0o600 });
    const behind = await verifyAuditDb(st.dbPath);
    assert.equal(behind.ok, true, behind.message);
    const gateway = await startGateway({
      policyPath: st.policyPath,
      stateDir: st.stateDir,
      port: 0,
    });
    await gateway.close();
    // Its start and close moved the mark up to the head again.
    assert.equal(readMark(st).seq, newest(st.dbPath).seq);
    assert.equal((await verifyAuditDb(st.dbPath)).ok, true);
  } finally {
    st.remove();
  }
});

test('a forged or damaged mark is a problem at verify and refused at start', async () => {
  const st = rollbackState('privet-head-mark-');
  try {
    st.charge(2);
    const markPath = headMarkPath(st.dbPath);
    const genuine = readMark(st);
    const key = new AuditMacKey(loadOrCreateMasterKey(st.stateDir));
    const forgeries: [string, string, RegExp][] = [
      [
        'its entry number moved forward',
        JSON.stringify({ ...genuine, seq: genuine.seq + 5 }),
        /carries no valid MAC of the gateway's key — it was edited/,
      ],
      [
        'its entry number moved back',
        JSON.stringify({ ...genuine, seq: genuine.seq - 1 }),
        /carries no valid MAC of the gateway's key — it was edited/,
      ],
      [
        "the head MAC of the database copied in as the mark's",
        JSON.stringify({ ...genuine, mac: key.signHead(genuine.seq, genuine.hash) }),
        /carries no valid MAC of the gateway's key — it was edited/,
      ],
      [
        'the mark of another database of the folder',
        JSON.stringify({
          ...genuine,
          mac: key.signHeadMark('other.db', genuine.seq, genuine.hash),
        }),
        /carries no valid MAC of the gateway's key — it was edited/,
      ],
      ['not JSON', '{"version":1,', /is not in the form the gateway writes/],
      [
        'a hash that is not one',
        JSON.stringify({ ...genuine, hash: 'x' }),
        /is not in the form the gateway writes/,
      ],
    ];
    for (const [what, text, message] of forgeries) {
      writeFileSync(markPath, text, { mode: 0o600 });
      const r = await verifyAuditDb(st.dbPath);
      assertTampered(r);
      assert.match(r.message, message, what);
      assert.ok(r.message.includes(markPath), what);
      assert.match(r.message, /whether this database was replaced with an earlier copy/, what);
      assert.ok(r.message.includes(`Fix: restore ${markPath} from a backup`), what);
      assertRefused(st, 'audit_head_mark_damaged');
    }
    // Missing: the check falls back to the others (as before there were marks).
    rmSync(markPath);
    assert.equal((await verifyAuditDb(st.dbPath)).ok, true);
  } finally {
    st.remove();
  }
});

test('a mark of another master key is not checked and is replaced; a database without its audit log is refused until the mark is moved aside', async () => {
  const st = rollbackState('privet-head-mark-');
  try {
    st.charge(3);
    const markPath = headMarkPath(st.dbPath);
    const other = new AuditMacKey(globalThis.crypto.getRandomValues(new Uint8Array(32)));
    const hash = 'ab'.repeat(32);
    writeFileSync(
      markPath,
      JSON.stringify({
        version: 1,
        seq: 999,
        hash,
        mac: other.signHeadMark('privet.db', 999, hash),
      }),
      { mode: 0o600 },
    );
    const unchecked = await verifyAuditDb(st.dbPath);
    assert.equal(unchecked.ok, true, unchecked.message);
    assert.ok(
      unchecked.message.includes(`head mark was made with another master key (id ${other.id})`),
      unchecked.message,
    );
    st.open().close();
    const key = new AuditMacKey(loadOrCreateMasterKey(st.stateDir));
    assert.ok(readMark(st).mac.startsWith(`${key.id}:`));
    assert.equal(readMark(st).seq, newest(st.dbPath).seq);

    const old = readMark(st);
    // The audit tables dropped from the database (the ledger's rows stay): not a new state folder.
    const db = new Database(st.dbPath);
    db.exec('DROP TABLE audit_log; DROP TABLE audit_head');
    db.close();
    const dropped = readFileSync(st.dbPath);
    assertRefused(
      st,
      'audit_rolled_back',
      /has no audit log, but the head mark .* records entry #/,
    );
    assert.deepEqual(readFileSync(st.dbPath), dropped, 'the database is left as it was');
    // Deleted on purpose to start afresh: refused too, until the mark is moved aside.
    for (const f of ['', '-wal', '-shm']) rmSync(`${st.dbPath}${f}`, { force: true });
    assertRefused(st, 'audit_rolled_back', /move .*audit-head-privet\.db\.json aside too/);
    rmSync(markPath);
    for (const f of ['', '-wal', '-shm']) rmSync(`${st.dbPath}${f}`, { force: true });
    st.open().close();
    const fresh = readMark(st);
    assert.ok(fresh.seq < old.seq, `${fresh.seq} < ${old.seq}`);
    assert.deepEqual({ seq: fresh.seq, hash: fresh.hash }, newest(st.dbPath));
    assert.equal((await verifyAuditDb(st.dbPath)).ok, true);
  } finally {
    st.remove();
  }
});

test('a marked entry pruned under retention is compared by position; one at the checkpoint by its hash', async () => {
  const t = openClockedLog('privet-head-mark-', 'privet.db');
  try {
    t.fill(3);
    t.log.flushHeadMark();
    const early = readFileSync(headMarkPath(t.path));
    t.fill(40);
    const cp = pruneAuditLog(t.log, 30, new Date(t.now.t)).checkpoint;
    assert.ok(cp && cp.seq > 3);
    t.log.flushHeadMark();
    const options = { now: t.now.t };
    assert.equal((await verifyAuditDb(t.path, [], options)).ok, true);

    writeFileSync(headMarkPath(t.path), early, { mode: 0o600 });
    const pruned = await verifyAuditDb(t.path, [], options);
    assert.equal(pruned.ok, true, pruned.message);

    const key = new AuditMacKey(loadOrCreateMasterKey(t.dir));
    writeHeadMark(t.path, key, cp);
    assert.equal((await verifyAuditDb(t.path, [], options)).ok, true);
    writeHeadMark(t.path, key, { seq: cp.seq, hash: 'cd'.repeat(32) });
    const other = await verifyAuditDb(t.path, [], options);
    assertTampered(other);
    assert.ok(
      other.message.includes(`but entry #${cp.seq} of ${t.path} has ${cp.hash}`),
      other.message,
    );
  } finally {
    t.close();
  }
});
