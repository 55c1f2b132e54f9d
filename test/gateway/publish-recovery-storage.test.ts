// A prepared batch journal is settled by asking the state database whether the batch's entries and
// charges committed. When that database is damaged (here: the audit log's root page overwritten on
// disk, so the file still opens and only the recovery's own query fails), the error names the file
// and the fix, as every other storage failure does, instead of SQLite's bare "database disk image is
// malformed"; the journal is left for a second try once the database is restored.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { closeSync, copyFileSync, cpSync, existsSync, openSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { AuditLog } from '../../gateway/src/audit/log.js';
import { openDurableDb } from '../../gateway/src/audit/sqlite.js';
import { loadPolicyFile } from '../../gateway/src/policy-file.js';
import { publishViews, viewsDir } from '../../gateway/src/publish/index.js';
import { journalPath, writeJournal } from '../../gateway/src/publish/journal.js';
import {
  recoverPublishState,
  recoverPublishStateAtStart,
} from '../../gateway/src/publish/recover.js';
import { StorageError } from '../../gateway/src/storage-errors.js';
import { httpPolicyFixture } from './publish/helpers.js';

/** A published http fixture with a staged copy of its masked view and a prepared journal. */
async function preparedBatch(tag: string) {
  const { dir, stateDir, policyPath } = httpPolicyFixture(tag);
  const loaded = loadPolicyFile(policyPath);
  await publishViews({
    policy: loaded.policy,
    policyText: loaded.text,
    policyDir: loaded.dir,
    stateDir,
    actor: 'stu',
  });
  const root = viewsDir(stateDir);
  const dbPath = join(stateDir, 'privet.db');
  const db = openDurableDb(dbPath);
  const auditHead = new AuditLog(db).head()?.seq ?? -1;
  db.close();
  cpSync(join(root, 'people_masked'), join(root, '.tmp-people_masked-crash'), { recursive: true });
  const entry = {
    view: 'people_masked',
    staged: '.tmp-people_masked-crash',
    old: '.old-people_masked-crash',
    audit: {
      tier: 'masked' as const,
      parquetHash: 'people_masked-new-hash',
      publishedAt: '2030-01-01T00:00:00.000Z',
    },
  };
  writeJournal(root, [entry], { actor: 'stu', auditHead });
  return { dir, stateDir, policyPath, root, dbPath };
}

/**
 * Overwrites the audit log's root page of the SQLite file with garbage bytes (the file's header and
 * schema page stay intact, so the database opens and fails only when the audit log is read).
 */
function damageAuditLog(dbPath: string): void {
  const db = openDurableDb(dbPath);
  const { rootpage } = db
    .prepare<[], { rootpage: number }>(
      "SELECT rootpage FROM sqlite_master WHERE name = 'audit_log'",
    )
    .get()!;
  const pageSize = db.pragma('page_size', { simple: true }) as number;
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  assert.ok(rootpage > 1, 'the audit log lives past the schema page');
  const fd = openSync(dbPath, 'r+');
  try {
    writeSync(fd, Buffer.alloc(pageSize, 0xa5), 0, pageSize, (rootpage - 1) * pageSize);
  } finally {
    closeSync(fd);
  }
}

/** Asserts that `message` names the damaged database and the fix, not SQLite's own words. */
function assertNamesFileAndFix(message: string, dbPath: string): void {
  assert.ok(message.includes(dbPath), `names the file: ${message}`);
  assert.match(message, /is unreadable: it is corrupt, truncated or not a SQLite database/);
  assert.match(message, /SQLITE_CORRUPT/);
  assert.match(message, /Fix: restore it from a backup/);
  assert.doesNotMatch(message, /database disk image is malformed/);
}

describe('recovering a prepared publish batch on a damaged state database', () => {
  const dirs: string[] = [];
  after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

  test('at gateway start: the message names the database file and the fix', async () => {
    const { dir, stateDir, root, dbPath } = await preparedBatch('recovery-storage-start');
    dirs.push(dir);
    damageAuditLog(dbPath);
    const result = recoverPublishStateAtStart(stateDir);
    assert.equal(result.state, 'failed');
    assertNamesFileAndFix(result.state === 'failed' ? result.message : '', dbPath);
    assert.ok(existsSync(journalPath(root)), 'the journal waits for a repaired database');
  });

  test('recoverPublishState and the next publish throw a StorageError; a restored database settles the batch', async () => {
    const { dir, stateDir, policyPath, root, dbPath } = await preparedBatch(
      'recovery-storage-publish',
    );
    dirs.push(dir);
    const backup = join(dir, 'privet.db.backup');
    copyFileSync(dbPath, backup);
    damageAuditLog(dbPath);
    assert.throws(
      () => recoverPublishState(stateDir),
      (err: unknown) => {
        assert.ok(err instanceof StorageError, String(err));
        assert.equal(err.code, 'storage_unreadable');
        assert.equal(err.path, dbPath);
        assertNamesFileAndFix(err.message, dbPath);
        return true;
      },
    );
    const loaded = loadPolicyFile(policyPath);
    await assert.rejects(
      publishViews({
        policy: loaded.policy,
        policyText: loaded.text,
        policyDir: loaded.dir,
        stateDir,
        actor: 'stu',
      }),
      (err: unknown) => {
        assert.ok(err instanceof StorageError, String(err));
        assertNamesFileAndFix(err.message, dbPath);
        return true;
      },
    );
    assert.ok(existsSync(journalPath(root)), 'the journal is kept');
    // The fix the message gives works: with the database restored, the batch is dropped.
    rmSync(`${dbPath}-wal`, { force: true });
    rmSync(`${dbPath}-shm`, { force: true });
    copyFileSync(backup, dbPath);
    assert.deepEqual(recoverPublishState(stateDir), { state: 'recovered', finished: [] });
    assert.equal(existsSync(journalPath(root)), false);
  });
});
