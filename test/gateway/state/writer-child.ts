/**
 * A child process for the state-file race tests: `issuer` re-issues a token in a loop, `revoker`
 * issues, revokes and checks one user's token, `master-key` reads or creates the master key,
 * `open-db` opens a new state database `r<i>.db` per round, all children at once. Children wait
 * at barriers the parent releases (argv: role, state folder, GO path, rounds); each prints one
 * JSON line at the end.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { AuditLog } from '../../../gateway/src/audit/log.js';
import { openDurableDb } from '../../../gateway/src/audit/sqlite.js';
import { readTokenStore, matchToken } from '../../../gateway/src/http/tokens.js';
import {
  issueTokensRecorded,
  revokeTokensRecorded,
  withStateRecords,
} from '../../../gateway/src/http/token-audit.js';
import { loadOrCreateMasterKey } from '../../../gateway/src/keys.js';

const [role, stateDir, go, roundsText] = process.argv.slice(2);
const rounds = Number(roundsText ?? '1');
/** Issue/revoke rounds of the token roles. */
const ROUNDS = 60;
const pause = new Int32Array(new SharedArrayBuffer(4));

/**
 * Waits with every other child: says it is at barrier `round`, then sleeps (not spinning) until the
 * parent puts the file `<go>-<round>` in place, which it does once every child is there.
 */
function barrier(round: number): void {
  process.stdout.write(`ready ${round}\n`);
  const file = `${go}-${round}`;
  for (let waited = 0; !existsSync(file) && waited < 120_000; waited++)
    Atomics.wait(pause, 0, 0, 1);
}

/** Opens (creating) a new state database with the audit log's tables per round, all children at once. */
function openDatabases(): string {
  for (let i = 0; i < rounds; i++) {
    barrier(i);
    const db = openDurableDb(join(stateDir!, `r${i}.db`));
    new AuditLog(db);
    db.close();
  }
  return 'opened';
}

function run(): unknown {
  if (role === 'open-db') return openDatabases();
  barrier(0);
  if (role === 'master-key') return Buffer.from(loadOrCreateMasterKey(stateDir!)).toString('hex');
  return withStateRecords(stateDir!, (records) => {
    if (role === 'issuer') {
      for (let i = 0; i < ROUNDS * 3; i++)
        issueTokensRecorded(records, 'alice-cli', stateDir!, ['alice']);
      return 'done';
    }
    let undone = 0;
    for (let i = 0; i < ROUNDS; i++) {
      const token = issueTokensRecorded(records, 'bob-cli', stateDir!, ['bob']).tokens.bob!;
      const revoked = revokeTokensRecorded(records, 'bob-cli', stateDir!, ['bob']);
      if (!revoked.includes('bob')) throw new Error('bob had no token to revoke');
      const until = Date.now() + 5;
      while (Date.now() < until); // give a racing writer time to write back a stale store
      if (matchToken(readTokenStore(stateDir!), token)?.user === 'bob') undone++;
    }
    return { undone };
  });
}

try {
  console.log(JSON.stringify({ ok: true, value: run() }));
} catch (error) {
  console.log(
    JSON.stringify({ ok: false, error: error instanceof Error ? error.message : String(error) }),
  );
}
