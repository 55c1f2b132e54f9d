/**
 * A running gateway reconciles tokens.json with the audit log whenever it re-reads the file. When
 * another connection holds the state database's write lock past the busy timeout, that request is
 * refused (fail closed) with an error that says the database was busy, names it and says to retry
 * — not the token file's unreadable-file advice — and the next request, once the lock is free,
 * re-reads and records the change.
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

test('a busy state database during a token-file re-read is named as busy, and the next request retries', () => {
  const stateDir = mkdtempSync(join(tmpdir(), 'privet-busy-tokens-'));
  const dbPath = join(stateDir, 'privet.db');
  // The gateway's connection, with a short busy timeout so the test is bounded.
  const db = openDurableDb(dbPath, { busyTimeoutMs: 50 });
  const other = openDurableDb(dbPath);
  try {
    const records = { db, audit: new AuditLog(db) };
    const policy = demoPolicy();
    // What the gateway does at start: records its token change and follows the file from then on.
    issueTokensRecorded(records, 'gateway', stateDir, ['bob']);
    const tokens = new TokenFile(stateDir);
    // A change that reaches the file without its entry (a hand edit, a killed token command).
    const fresh = issueTokens(stateDir, ['bob']).tokens.bob!;
    const path = join(stateDir, 'tokens.json');
    const later = new Date(statSync(path).mtimeMs + 5_000);
    utimesSync(path, later, later);

    other.exec('BEGIN IMMEDIATE'); // another process holds the write lock
    const started = Date.now();
    assert.throws(
      () => authenticate(`Bearer ${fresh}`, tokens, policy),
      (e: unknown) => {
        assert.ok(e instanceof HttpError, String(e));
        assert.equal(e.status, 500);
        assert.match(
          e.message,
          new RegExp(
            `^the gateway database ${dbPath.replaceAll(/[.\\/]/g, '\\$&')} was busy \\(SQLITE_BUSY`,
          ),
        );
        assert.match(e.message, /reconciling the re-read token file with the audit log/);
        assert.match(e.fix, /^retry in a moment/);
        assert.doesNotMatch(e.fix, /token file|tokens\.json|readable|mode 0600|--reset/);
        assert.doesNotMatch(e.message + e.fix, new RegExp(fresh));
        return true;
      },
    );
    assert.ok(Date.now() - started < 5_000, 'bounded by the busy timeout');
    // Still busy: still refused, never answered from the tokens read before.
    assert.throws(() => authenticate(`Bearer ${fresh}`, tokens, policy), /was busy/);
    other.exec('COMMIT');

    const recoveredBefore = records.audit.entries().filter((e) => e.action === 'token.recovered');
    assert.equal(authenticate(`Bearer ${fresh}`, tokens, policy).user, 'bob');
    const recovered = records.audit.entries().filter((e) => e.action === 'token.recovered');
    assert.equal(recovered.length, recoveredBefore.length + 1, 'the change is on the record');
  } finally {
    if (other.inTransaction) other.exec('ROLLBACK');
    other.close();
    db.close();
    rmSync(stateDir, { recursive: true, force: true });
  }
});
