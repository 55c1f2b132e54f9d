/**
 * A child process for the state-file race tests: `issuer` re-issues a token in a loop, `revoker`
 * issues, revokes and checks one user's token, `master-key` reads or creates the master key. All
 * start at the same instant (argv: role, state folder, start time in ms) and print one JSON line.
 */
import { readTokenStore, matchToken } from '../../../gateway/src/http/tokens.js';
import {
  issueTokensRecorded,
  revokeTokensRecorded,
  withStateRecords,
} from '../../../gateway/src/http/token-audit.js';
import { loadOrCreateMasterKey } from '../../../gateway/src/keys.js';

const [role, stateDir, startText, roundsText] = process.argv.slice(2);
const rounds = Number(roundsText ?? '60');
const start = Number(startText);
while (Date.now() < start); // a busy wait of at most the start delay, so all children start together

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
