/**
 * A running gateway reconciles tokens.json with the audit log whenever it re-reads the file, as it
 * does at start: a change that reached the file without its audit entry (an edit by hand, a token
 * command killed before its COMMIT) is recorded as `token.recovered` by the gateway before any
 * token it made is accepted; a change already on the record, or a re-read of an unchanged file,
 * adds nothing.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AuditEntry } from '@privet/core/record/index';
import { issueTokensRecorded, withStateRecords } from '../../gateway/src/http/token-audit.js';
import { issueTokens } from '../../gateway/src/http/tokens.js';
import { startTestGateway, type TestGateway } from './http/fixture.js';

let t: TestGateway;
let stateDir: string;

before(async () => {
  t = await startTestGateway();
  stateDir = join(t.dir, 'state');
});
after(async () => t.stop());

const whoami = (token: string) => t.call('GET', '/api/v1/whoami', { token });

/** Token entries appended while `act` ran. */
async function tokenEntriesDuring(act: () => Promise<unknown>): Promise<AuditEntry[]> {
  const { audit } = t.gateway.services;
  const from = audit.head()!.seq + 1;
  await act();
  return audit.entries({ fromSeq: from }).filter((e) => e.action.startsWith('token.'));
}

/** Moves the file's times ahead, so the gateway sees a change even with the same bytes. */
function touchLater(): void {
  const path = join(stateDir, 'tokens.json');
  const later = new Date(statSync(path).mtimeMs + 5_000);
  utimesSync(path, later, later);
}

describe('tokens.json re-read by a running gateway', () => {
  test('a change without its audit entry is recorded at the re-read, once', async () => {
    let fresh = '';
    const entries = await tokenEntriesDuring(async () => {
      // What a hand edit or a crashed `privet token issue --user ana` leaves: the file, no entry.
      fresh = issueTokens(stateDir, ['ana']).tokens.ana!;
      touchLater();
      assert.equal((await whoami(fresh)).status, 200);
      assert.equal((await whoami(fresh)).status, 200); // no re-read: nothing more
    });
    assert.equal(entries.length, 1, JSON.stringify(entries));
    const [recovered] = entries;
    assert.equal(recovered!.action, 'token.recovered');
    assert.equal(recovered!.actor, 'gateway');
    assert.equal(recovered!.details['reason'], 'unaudited-change');
    assert.deepEqual(recovered!.details['renewed'], ['ana']);
    assert.ok(!JSON.stringify(recovered).includes(fresh), 'no token value on the record');
  });

  test('a change already on the record, or the same bytes touched, adds nothing', async () => {
    const entries = await tokenEntriesDuring(async () => {
      // What `privet token issue --user rev` does: the entry, then the file, in one transaction.
      const rev = withStateRecords(stateDir, (records) =>
        issueTokensRecorded(records, 'cli', stateDir, ['rev']),
      ).tokens.rev!;
      assert.equal((await whoami(rev)).status, 200);
      touchLater();
      assert.equal((await whoami(rev)).status, 200);
      t.gateway.reloadTokens();
    });
    assert.deepEqual(
      entries.map((e) => [e.action, e.actor]),
      [['token.issued', 'cli']],
    );
  });

  test('a malformed file is recorded too, and refuses every token until fixed', async () => {
    const path = join(stateDir, 'tokens.json');
    const entries = await tokenEntriesDuring(async () => {
      writeFileSync(path, '{ "stu": ');
      touchLater();
      assert.equal((await whoami(t.gateway.tokens.stu!)).status, 500);
      assert.equal((await whoami(t.gateway.tokens.stu!)).status, 500);
    });
    assert.equal(entries.length, 1, JSON.stringify(entries));
    assert.equal(entries[0]!.action, 'token.recovered');
    assert.deepEqual(entries[0]!.details['file'], {
      sha256: (entries[0]!.details['file'] as { sha256: string }).sha256,
      malformed: true,
    });
    const fixed = await tokenEntriesDuring(async () => {
      const stu = withStateRecords(stateDir, (records) =>
        issueTokensRecorded(records, 'cli', stateDir, ['stu'], { reset: true }),
      ).tokens.stu!;
      assert.equal((await whoami(stu)).status, 200);
    });
    assert.deepEqual(
      fixed.map((e) => e.action),
      ['token.issued'],
    );
  });
});
