// A running gateway follows `privet token issue`: the tokens file is re-read when it changes, so a
// re-issued token revokes the old one at once; a broken tokens file refuses everyone (fail closed).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ApiError } from '@privet/core';
import { startGateway } from '../../../gateway/src/http/server.js';
import { issueTokens, revokeTokens } from '../../../gateway/src/http/tokens.js';
import { startTestGateway, type TestGateway } from './fixture.js';

let t: TestGateway;
let stateDir: string;

before(async () => {
  t = await startTestGateway();
  stateDir = join(t.dir, 'state');
});
after(async () => t.stop());

const whoami = (token: string) => t.call('GET', '/api/v1/whoami', { token });

/** Moves the tokens file's times a few seconds ahead, so a change never hides in mtime granularity. */
function touchLater(): void {
  const path = join(stateDir, 'tokens.json');
  const later = new Date(statSync(path).mtimeMs + 5_000);
  utimesSync(path, later, later);
}

describe('token re-issue reaches a running gateway', () => {
  test('the re-issued token works and the old one gets 401, without reloadTokens', async () => {
    const old = t.gateway.tokens.ana!;
    assert.equal((await whoami(old)).status, 200, 'the token read at start works');
    // What `privet token issue --user ana` does (atomic rename of the rewritten file). The rename
    // alone changes the file's identity; touchLater only rules out coarse-mtime filesystems.
    const fresh = issueTokens(stateDir, ['ana']).tokens.ana!;
    touchLater();
    const refused = await whoami(old);
    assert.equal(refused.status, 401);
    assert.equal(((await refused.json()) as ApiError).error.code, 'unauthenticated');
    assert.equal((await whoami(fresh)).status, 200);
    // Others keep their tokens: only ana's entry changed.
    assert.equal((await whoami(t.gateway.tokens.stu!)).status, 200);
  });

  test('a re-issue without touching the times (same size, same second) is still seen', async () => {
    const before = issueTokens(stateDir, ['rev']).tokens.rev!;
    assert.equal((await whoami(before)).status, 200);
    const after = issueTokens(stateDir, ['rev']).tokens.rev!;
    assert.equal((await whoami(before)).status, 401);
    assert.equal((await whoami(after)).status, 200);
  });

  test('a second gateway on a port in use fails before it re-issues any token', async () => {
    const ana = issueTokens(stateDir, ['ana']).tokens.ana!;
    const issuedBefore = t.gateway.services.audit
      .entries()
      .filter((e) => e.action === 'token.issued').length;
    await assert.rejects(
      startGateway({
        policyPath: join(t.dir, 'policy.yaml'),
        stateDir,
        port: t.gateway.port,
        issueTokensFor: ['ana', 'stu'],
      }),
      (e: Error) => {
        assert.match(e.message, new RegExp(`^port ${t.gateway.port} on 127\\.0\\.0\\.1 is in use`));
        assert.match(
          e.message,
          /no token was changed\. Fix: stop the process holding it, or pass another --port/,
        );
        return true;
      },
    );
    assert.equal((await whoami(ana)).status, 200, 'the running gateway keeps its users signed in');
    const issuedAfter = t.gateway.services.audit
      .entries()
      .filter((e) => e.action === 'token.issued').length;
    assert.equal(issuedAfter, issuedBefore, 'no token.issued entry for the failed start');
  });

  test('the tokens issued at start are on the record (users, expiry; no token value)', () => {
    const issued = t.gateway.services.audit
      .entries()
      .filter((e) => e.action === 'token.issued' && e.actor === 'gateway');
    assert.equal(issued.length, 1);
    assert.deepEqual(
      [...(issued[0]!.details.users as string[])].sort(),
      Object.keys(t.gateway.tokens).sort(),
    );
    assert.equal(issued[0]!.details.expiresAt, t.gateway.tokensExpireAt);
    const text = JSON.stringify(issued[0]);
    for (const token of Object.values(t.gateway.tokens)) assert.ok(!text.includes(token));
  });

  test('a revoked token gets 401 at once; others keep theirs', async () => {
    const tokens = issueTokens(stateDir, ['ana', 'rev']).tokens;
    assert.equal((await whoami(tokens.ana!)).status, 200);
    // What `privet token revoke --user ana` does, e.g. after ana was removed from the policy.
    assert.deepEqual(revokeTokens(stateDir, ['ana', 'nobody']), ['ana']);
    const refused = await whoami(tokens.ana!);
    assert.equal(refused.status, 401);
    assert.equal((await whoami(tokens.rev!)).status, 200);
    assert.deepEqual(revokeTokens(stateDir, ['ana']), [], 'nothing left to revoke');
  });

  test('a malformed tokens file refuses every token with what, where and how to fix', async () => {
    const stu = issueTokens(stateDir, ['stu']).tokens.stu!;
    assert.equal((await whoami(stu)).status, 200);
    const path = join(stateDir, 'tokens.json');
    writeFileSync(path, '{ "stu": ');
    touchLater();
    const response = await whoami(stu);
    assert.equal(response.status, 500);
    const { error } = (await response.json()) as ApiError;
    assert.equal(error.code, 'internal');
    assert.ok(error.message.includes(path), error.message);
    assert.match(error.message, /malformed \(it is not valid JSON\)/);
    assert.match(error.fix, /privet token issue/);
    // Well-formed JSON of the wrong shape is refused too, and the error stays until it is fixed.
    writeFileSync(path, JSON.stringify({ stu: { expiresAt: '2999-01-01T00:00:00.000Z' } }));
    touchLater();
    assert.equal((await whoami(stu)).status, 500);
    assert.equal((await whoami(stu)).status, 500);
    // The steward's fix: delete the file (here: overwrite it) and re-issue.
    writeFileSync(path, '{}');
    const renewed = issueTokens(stateDir, ['stu']).tokens.stu!;
    assert.equal((await whoami(stu)).status, 401);
    assert.equal((await whoami(renewed)).status, 200);
  });
});
