// A token change that reached tokens.json without its audit entry (a crash between the file write
// and the COMMIT) is put on the record: every token entry holds the file's SHA-256, and the gateway
// at start (or the next `privet token …`) appends `token.recovered` naming whose tokens changed.
// Older logs, whose entries hold no hash, get one baseline entry. No entry holds a token or hash.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AuditEntry } from '@privet/core/record/index';
import { immediate } from '../../../gateway/src/audit/sqlite.js';
import { AuditLog } from '../../../gateway/src/audit/log.js';
import { verifyAuditDb } from '../../../gateway/src/audit/verify.js';
import { startGateway } from '../../../gateway/src/http/server.js';
import {
  issueTokensRecorded,
  revokeTokensRecorded,
  withStateRecords,
} from '../../../gateway/src/http/token-audit.js';
import { issueTokens, readTokenStore } from '../../../gateway/src/http/tokens.js';
import { privet } from '../run-cli.js';

let dir: string;
let policyPath: string;

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'privet-token-recovery-'));
  policyPath = join(dir, 'policy.yaml');
  copyFileSync(
    fileURLToPath(new URL('../../fixtures/http/policy.yaml', import.meta.url)),
    policyPath,
  );
});
after(() => rmSync(dir, { recursive: true, force: true }));

/** A new, empty state folder. */
const newState = () => mkdtempSync(join(dir, 'state-'));

/** SHA-256 (hex) of the state's tokens.json as it is on disk. */
const fileSha = (state: string) =>
  createHash('sha256')
    .update(readFileSync(join(state, 'tokens.json')))
    .digest('hex');

/** The token entries of the state's audit log, in order. */
function tokenEntries(state: string): AuditEntry[] {
  return withStateRecords(state, ({ audit }) =>
    audit.entries({ limit: 10_000 }).filter((e) => e.action.startsWith('token.')),
  );
}

/** Revokes `users` as `privet token revoke` does, but dies before the COMMIT of its audit entry. */
function revokeKilledBeforeCommit(state: string, users: string[]): void {
  withStateRecords(state, (records) => {
    assert.throws(
      () =>
        immediate(records.db, () => {
          revokeTokensRecorded(records, 'cli', state, users);
          throw new Error('killed between the file write and the COMMIT');
        }),
      /killed/,
    );
  });
}

/** Starts a gateway on `state` (no tokens issued) and stops it again. */
async function startAndStop(state: string): Promise<void> {
  const gateway = await startGateway({ policyPath, stateDir: state, port: 0 });
  await gateway.close();
}

describe('a token change that reached the file without its audit entry', () => {
  test('every token entry records the SHA-256 of the file it wrote', () => {
    const state = newState();
    withStateRecords(state, (records) => {
      issueTokensRecorded(records, 'cli', state, ['ana', 'rev']);
      const issued = fileSha(state);
      revokeTokensRecorded(records, 'cli', state, ['rev']);
      const [first, second] = tokenEntries(state);
      assert.equal((first?.details.file as { sha256?: string }).sha256, issued);
      assert.equal((second?.details.file as { sha256?: string }).sha256, fileSha(state));
    });
  });

  test('the gateway at start appends token.recovered naming whose token changed', async () => {
    const state = newState();
    withStateRecords(state, (records) =>
      issueTokensRecorded(records, 'cli', state, ['ana', 'rev']),
    );
    const recorded = fileSha(state);
    revokeKilledBeforeCommit(state, ['ana']);
    // The crash left the change on disk and out of the log (what the old code left behind).
    assert.deepEqual(Object.keys(readTokenStore(state)), ['rev']);
    assert.deepEqual(
      tokenEntries(state).map((e) => e.action),
      ['token.issued'],
    );
    await startAndStop(state);
    const entries = tokenEntries(state);
    assert.deepEqual(
      entries.map((e) => e.action),
      ['token.issued', 'token.recovered'],
      'the start put the revocation on the record',
    );
    const recovered = entries[1]!;
    assert.equal(recovered.actor, 'gateway');
    assert.equal(recovered.details.reason, 'unaudited-change');
    assert.deepEqual(recovered.details.users, ['ana']);
    assert.deepEqual(recovered.details.removed, ['ana']);
    assert.deepEqual(recovered.details.added, []);
    assert.equal(recovered.details.previousSha256, recorded);
    assert.equal((recovered.details.file as { sha256: string }).sha256, fileSha(state));
    assert.equal(recovered.details.holderCount, 1);
    // A second start finds the file as recorded and appends nothing.
    await startAndStop(state);
    assert.equal(tokenEntries(state).length, 2);
    const verified = await verifyAuditDb(join(state, 'privet.db'));
    assert.equal(verified.ok, true, verified.message);
  });

  test('a re-issue lost in a crash is found by its new expiry; no token or hash is logged', async () => {
    const state = newState();
    withStateRecords(state, (records) =>
      issueTokensRecorded(records, 'cli', state, ['ana', 'rev']),
    );
    // A later issue for ana whose entry never committed (same effect on the file as a crash).
    issueTokens(state, ['ana'], { now: Date.now() + 60_000 });
    await startAndStop(state);
    const recovered = tokenEntries(state).at(-1)!;
    assert.equal(recovered.action, 'token.recovered');
    assert.deepEqual(recovered.details.users, ['ana']);
    assert.deepEqual(recovered.details.renewed, ['ana']);
    const logged = JSON.stringify(tokenEntries(state).map((e) => e.details));
    for (const stored of Object.values(readTokenStore(state))) {
      const hash = typeof stored === 'string' ? stored : stored.hash;
      assert.equal(logged.includes(hash), false, 'no token hash in the audit log');
    }
    assert.doesNotMatch(logged, /pvt_/);
  });

  test('`privet token revoke` records the lost change before its own entry', () => {
    const state = newState();
    withStateRecords(state, (records) =>
      issueTokensRecorded(records, 'cli', state, ['ana', 'rev', 'stu']),
    );
    revokeKilledBeforeCommit(state, ['ana']);
    const r = privet('token', 'revoke', '--state', state, '--user', 'rev');
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const entries = tokenEntries(state);
    assert.deepEqual(
      entries.map((e) => [e.actor, e.action, e.details.users]),
      [
        ['cli', 'token.issued', ['ana', 'rev', 'stu']],
        ['cli', 'token.recovered', ['ana']],
        ['cli', 'token.revoked', ['rev']],
      ],
    );
    assert.equal((entries[2]!.details.file as { sha256: string }).sha256, fileSha(state));
  });

  test('an older log (entries without a hash) gets one baseline entry at the first start', async () => {
    const state = newState();
    issueTokens(state, ['ana', 'stu']);
    // What an older version wrote: the issue on record, but no file hash in its details.
    withStateRecords(state, ({ db }) =>
      new AuditLog(db).append({
        actor: 'cli',
        action: 'token.issued',
        subject: 'tokens',
        details: { users: ['ana', 'stu'], expiresAt: '2099-01-01T00:00:00.000Z', reset: false },
      }),
    );
    await startAndStop(state);
    await startAndStop(state);
    const entries = tokenEntries(state);
    assert.deepEqual(
      entries.map((e) => e.action),
      ['token.issued', 'token.recovered'],
      'one baseline entry, then nothing',
    );
    assert.equal(entries[1]!.details.reason, 'baseline');
    assert.equal(entries[1]!.details.holderCount, 2);
    assert.equal((entries[1]!.details.file as { sha256: string }).sha256, fileSha(state));
  });

  test('a gateway started without tokens on a fresh folder records nothing and writes no file', async () => {
    const state = newState();
    await startAndStop(state);
    await startAndStop(state);
    assert.equal(existsSync(join(state, 'tokens.json')), false);
    assert.deepEqual(tokenEntries(state), []);
  });
});
