/**
 * A child process for the state-file race tests: `issuer` re-issues a token in a loop, `revoker`
 * issues, revokes and checks one user's token, `master-key` reads or creates the master key. All
 * start when the GO file appears (argv: role, state folder, GO path) and print one JSON line.
 */
import { existsSync } from 'node:fs';
import { readTokenStore, matchToken } from '../../../gateway/src/http/tokens.js';
import {
  issueTokensRecorded,
  revokeTokensRecorded,
  withStateRecords,
} from '../../../gateway/src/http/token-audit.js';
import { loadOrCreateMasterKey } from '../../../gateway/src/keys.js';

const [role, stateDir, go, roundsText] = process.argv.slice(2);
const rounds = Number(roundsText ?? '60');
const pause = new Int32Array(new SharedArrayBuffer(4));
// All children start together: each says it is loaded, then waits (sleeping, not spinning) for the
// parent to put the GO file in place once every child is.
process.stdout.write('ready\n');
for (let waited = 0; !existsSync(go!) && waited < 120_000; waited++) Atomics.wait(pause, 0, 0, 1);

function run(): unknown {
  if (role === 'master-key') return Buffer.from(loadOrCreateMasterKey(stateDir!)).toString('hex');
  return withStateRecords(stateDir!, (records) => {
    if (role === 'issuer') {
      for (let i = 0; i < rounds * 3; i++)
        issueTokensRecorded(records, 'alice-cli', stateDir!, ['alice']);
      return 'done';
    }
    let undone = 0;
    for (let i = 0; i < rounds; i++) {
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
