/**
 * The head mark checked without master.key beside the database: its MAC cannot be checked, so a
 * database behind it (an earlier copy put back) is not proven TAMPERED, yet must not pass as
 * intact either. Verify compares the mark's seq and hash with the log and reports a database
 * behind it, naming both files, that the mark was not authenticated, and how to decide (exit 2,
 * verdict `unreadable`, like an unreadable key); a mark that matches is noted as unauthenticated.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  auditExitCode,
  auditVerdict,
  formatAuditReport,
  verifyAuditDb,
  type AuditReport,
} from '../../../gateway/src/audit/index.js';
import { headMarkPath } from '../../../gateway/src/audit/head-mark.js';
import { masterKeyPath } from '../../../gateway/src/keys.js';
import { privet } from '../run-cli.js';
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

/** Moves master.key out of the state folder; returns where it went. */
function takeKeyAway(st: RollbackState): string {
  const aside = join(st.dir, 'master.key.aside');
  renameSync(masterKeyPath(st.stateDir), aside);
  return aside;
}

/** Asserts the report of a database behind a mark that could not be authenticated. */
function assertBehindUnauthenticated(st: RollbackState, r: AuditReport): void {
  assert.equal(r.ok, false, r.message);
  assert.equal(r.problem, 'behind-unauthenticated-mark', r.message);
  assert.equal(r.macsChecked, false);
  assert.equal(auditExitCode(r), 2);
  assert.equal(auditVerdict(r), 'unreadable');
  assert.equal(r.head, undefined, 'no anchor is offered');
  const printed = formatAuditReport(r);
  assert.doesNotMatch(printed, /^TAMPERED/);
  assert.ok(printed.startsWith('BEHIND ITS HEAD MARK — not authenticated'), printed);
  assert.ok(r.message.includes(headMarkPath(st.dbPath)), 'names the mark');
  assert.ok(r.message.includes(st.dbPath), 'names the database');
  assert.ok(r.message.includes(masterKeyPath(st.stateDir)), 'names the missing key');
  assert.match(
    r.message,
    /The mark was not authenticated: this check ran without the gateway's key/,
  );
  assert.match(r.message, /privacy budget charged after that copy can be spent again/);
  assert.ok(
    r.message.includes(`Fix: put the gateway's master key back at ${masterKeyPath(st.stateDir)}`),
    r.message,
  );
  assert.ok(r.message.includes(`privet audit verify --state ${st.stateDir}`), r.message);
  assert.match(r.message, /start no gateway or `privet` command that writes on this folder/);
}

test('without master.key, a database put back to an earlier copy is reported behind its unauthenticated mark', async () => {
  const st = rollbackState('privet-head-mark-keyless-');
  try {
    st.charge(2);
    const t1 = st.copy('t1.db');
    st.charge(3);
    const marked = readMark(st);
    assert.deepEqual({ seq: marked.seq, hash: marked.hash }, newest(st.dbPath));
    st.restore(t1);
    const aside = takeKeyAway(st);

    const r = await verifyAuditDb(st.dbPath);
    assertBehindUnauthenticated(st, r);
    assert.ok(
      r.message.includes(
        `the head mark ${headMarkPath(st.dbPath)} says the gateway committed audit entry #${marked.seq} with hash ${marked.hash}, but ${st.dbPath} ends at entry #${newest(st.dbPath).seq}`,
      ),
      r.message,
    );
    assert.equal(r.firstBad?.index, newest(st.dbPath).seq + 1);

    const cli = privet('audit', 'verify', '--state', st.stateDir);
    assert.equal(cli.code, 2, cli.stdout + cli.stderr);
    assert.match(cli.stdout, /^BEHIND ITS HEAD MARK — not authenticated/);
    assert.match(cli.stdout, /says the gateway committed audit entry #/);

    // Hashes alone asked for (the key present but not used): the same finding.
    renameSync(aside, masterKeyPath(st.stateDir));
    assertBehindUnauthenticated(st, await verifyAuditDb(st.dbPath, [], { key: null }));
    // With the key back, the mark is authenticated and the copy is TAMPERED.
    const keyed = await verifyAuditDb(st.dbPath);
    assert.equal(keyed.problem, undefined, keyed.message);
    assert.match(formatAuditReport(keyed), /^TAMPERED /);
  } finally {
    st.remove();
  }
});

test('without master.key, a copy written to past the marked entry is reported: that entry differs', async () => {
  const st = rollbackState('privet-head-mark-keyless-');
  try {
    const marked = writtenPastMark(st);
    takeKeyAway(st);

    const r = await verifyAuditDb(st.dbPath);
    assertBehindUnauthenticated(st, r);
    assert.match(
      r.message,
      new RegExp(
        `says the gateway committed audit entry #${marked.seq} with hash ${marked.hash}, but entry #${marked.seq} of .* has [0-9a-f]{64}`,
      ),
    );
    assert.equal(r.firstBad?.index, marked.seq);
  } finally {
    st.remove();
  }
});

test('without master.key, a mark the log agrees with is noted as not authenticated; a damaged one is a problem', async () => {
  const st = rollbackState('privet-head-mark-keyless-');
  try {
    st.charge(2);
    takeKeyAway(st);
    const r = await verifyAuditDb(st.dbPath);
    assert.equal(r.ok, true, r.message);
    assert.equal(auditExitCode(r), 0);
    assert.ok(
      r.message.includes(
        `the head mark (#${readMark(st).seq}) matched, but was not authenticated (checked without the gateway's key)`,
      ),
      r.message,
    );

    // Its form does not depend on the key: a damaged mark is reported as with the key.
    writeFileSync(headMarkPath(st.dbPath), '{"version":1,', { mode: 0o600 });
    const damaged = await verifyAuditDb(st.dbPath);
    assert.equal(damaged.ok, false);
    assert.match(formatAuditReport(damaged), /^TAMPERED /);
    assert.match(damaged.message, /is not in the form the gateway writes/);

    // No mark: the hashes alone, as before marks.
    rmSync(headMarkPath(st.dbPath));
    assert.equal((await verifyAuditDb(st.dbPath)).ok, true);
  } finally {
    st.remove();
  }
});
