/**
 * A running gateway reconciles tokens.json with the audit log whenever it re-reads the file. When
 * that write fails for a reason of the state database (here a read-only one; a full disk or a
 * damaged file take the same path, storage-errors.ts `databaseError`), the request is refused (fail closed) with the database's own message and fix, not the token file's
 * "make the file readable" advice, and once the database can be written again the next request
 * records the change.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AuditLog, openDurableDb } from '../../../gateway/src/audit/index.js';
import { TokenFile, authenticate } from '../../../gateway/src/http/auth.js';
import { HttpError } from '../../../gateway/src/http/errors.js';
import { issueTokensRecorded } from '../../../gateway/src/http/token-audit.js';
import { issueTokens } from '../../../gateway/src/http/tokens.js';
import { demoPolicy } from '../experiments/fixture.js';

test("a read-only state database during a token-file re-read is named as the database's, not the file's", () => {
  const stateDir = mkdtempSync(join(tmpdir(), 'privet-storage-tokens-'));
  const dbPath = join(stateDir, 'privet.db');
  const db = openDurableDb(dbPath);
  try {
    const records = { db, audit: new AuditLog(db) };
    const policy = demoPolicy();
    issueTokensRecorded(records, 'gateway', stateDir, ['bob']);
    const tokens = new TokenFile(stateDir);
    // A change that reaches the file without its entry: the re-read must record it.
    const fresh = issueTokens(stateDir, ['bob']).tokens.bob!;
    const path = join(stateDir, 'tokens.json');
    const later = new Date(statSync(path).mtimeMs + 5_000);
    utimesSync(path, later, later);

    db.pragma('query_only = ON'); // writes now fail with SQLITE_READONLY
    for (let attempt = 0; attempt < 2; attempt++) {
      assert.throws(
        () => authenticate(`Bearer ${fresh}`, tokens, policy),
        (e: unknown) => {
          assert.ok(e instanceof HttpError, String(e));
          assert.equal(e.status, 500);
          assert.match(
            e.message,
            /^the gateway database .+privet\.db cannot be written \(SQLITE_READONLY/,
          );
          assert.match(e.message, /so the gateway accepts no token until its token file/);
          assert.match(e.fix, /^give this user write access/);
          assert.doesNotMatch(e.fix, /token file|tokens\.json|mode 0600|--reset/);
          assert.doesNotMatch(e.message + e.fix, new RegExp(fresh));
          return true;
        },
      );
    }
    db.pragma('query_only = OFF');

    const before = records.audit.entries().filter((e) => e.action === 'token.recovered');
    assert.equal(authenticate(`Bearer ${fresh}`, tokens, policy).user, 'bob');
    const after = records.audit.entries().filter((e) => e.action === 'token.recovered');
    assert.equal(after.length, before.length + 1, 'the change is on the record');
  } finally {
    db.close();
    rmSync(stateDir, { recursive: true, force: true });
  }
});
