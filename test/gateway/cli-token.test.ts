// `privet token issue` on a malformed tokens.json: it refuses with what, where and how to fix
// (never echoing the file's contents) and changes nothing; `--reset` moves the file aside and
// issues fresh tokens that a gateway accepts, saying that every earlier token is now invalid.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { matchToken, readTokenStore } from '../../gateway/src/http/tokens.js';
import { privet } from './run-cli.js';

let dir: string;
let policy: string;

/** A fresh state folder whose tokens.json holds `text`; returns the folder and the file. */
function stateWith(text: string): { state: string; file: string } {
  const state = mkdtempSync(join(dir, 'state-'));
  mkdirSync(state, { recursive: true });
  const file = join(state, 'tokens.json');
  writeFileSync(file, text, { mode: 0o600 });
  return { state, file };
}

/** `privet token issue` for these users in `state`, plus extra flags. */
function issue(state: string, users: string[], ...flags: string[]) {
  return privet(
    'token',
    'issue',
    '--policy',
    policy,
    '--state',
    state,
    '--user',
    ...users,
    ...flags,
  );
}

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'privet-cli-token-'));
  policy = join(dir, 'policy.yaml');
  copyFileSync(fileURLToPath(new URL('../fixtures/http/policy.yaml', import.meta.url)), policy);
});
after(() => rmSync(dir, { recursive: true, force: true }));

describe('privet token issue with a malformed tokens.json', () => {
  test('refuses: names the file and the parse position, says how to fix, echoes nothing', () => {
    const text = '{\n  "ana": { "hash": "pvt_SECRETVALUE1" }\n  "rev": "deadbeefcafe"\n}\n';
    const { state, file } = stateWith(text);
    const r = issue(state, ['ana']);
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.equal(r.stdout, '', 'no token printed');
    assert.ok(r.stderr.includes(`the token file ${file} is malformed`), r.stderr);
    assert.match(r.stderr, /not valid JSON: parsing stopped at line 3, column 3, position 44/);
    assert.match(r.stderr, /so no token was issued\. Fix: repair .*tokens\.json by hand/);
    assert.match(r.stderr, /privet token issue --reset --user NAME/);
    assert.doesNotMatch(r.stderr, /SECRETVALUE|deadbeef|"ana"|"rev"/);
    assert.equal(readFileSync(file, 'utf8'), text, 'the file is left as it was');
    assert.deepEqual(
      readdirSync(state),
      ['tokens.json'],
      'no temp or aside file, and no state database created by a refused command',
    );
  });

  test('never echoes the text V8 quotes, and refuses truncated, empty and wrong-shape files', () => {
    const cases: [string, RegExp][] = [
      ['{"ana": pvt_SECRETVALUE2}', /malformed \(it is not valid JSON\)/],
      ['{ "ana": { "hash": "pvt_SECRETVALUE3"', /malformed \(its JSON ends too early\)/],
      ['', /malformed \(it is empty\)/],
      ['["pvt_SECRETVALUE4"]', /malformed \(it is not an object of users\)/],
      ['{"ana": {"expiresAt": "2999-01-01T00:00:00Z"}}', /malformed \(an entry has no hash\)/],
    ];
    for (const [text, problem] of cases) {
      const { state, file } = stateWith(text);
      const r = issue(state, ['ana']);
      assert.equal(r.code, 1, `${text}: ${r.stderr}`);
      assert.match(r.stderr, problem);
      assert.doesNotMatch(r.stderr, /SECRETVALUE/);
      assert.equal(readFileSync(file, 'utf8'), text);
    }
  });

  test('token revoke refuses a malformed file too, and leaves the folder as it was', () => {
    const text = '{"ana": pvt_SECRETVALUE5}';
    const { state, file } = stateWith(text);
    const r = privet('token', 'revoke', '--state', state, '--user', 'ana');
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.ok(r.stderr.includes(`the token file ${file} is malformed`), r.stderr);
    assert.doesNotMatch(r.stderr, /SECRETVALUE/);
    assert.equal(readFileSync(file, 'utf8'), text);
    assert.deepEqual(readdirSync(state), ['tokens.json'], 'no state database created');
  });

  test('--reset moves the file aside, issues fresh tokens and says earlier ones are invalid', () => {
    const text = '{"ana": {"hash": "pvt_SECRETVALUE5"} "rev": 1}';
    const { state, file } = stateWith(text);
    const r = issue(state, ['ana', 'stu'], '--reset');
    assert.equal(r.code, 0, r.stderr);
    const printed = Object.fromEntries(
      r.stdout
        .trim()
        .split('\n')
        .map((l) => l.split('\t')),
    );
    assert.deepEqual(Object.keys(printed), ['ana', 'stu']);
    const aside = readdirSync(state).filter((n) => n.startsWith('tokens.json.malformed-'));
    assert.equal(aside.length, 1, readdirSync(state).join(', '));
    assert.match(aside[0]!, /^tokens\.json\.malformed-\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d-\d{3}Z$/);
    assert.equal(readFileSync(join(state, aside[0]!), 'utf8'), text, 'kept as it was');
    // privet.db holds the audit entry of the reset (token.issued, reset: true), MAC'd under a key
    // derived from master.key (created with the audit log).
    assert.deepEqual(
      readdirSync(state).sort(),
      [
        'audit-head-privet.db.json',
        'audit-keyed-privet.db.json',
        'master.key',
        'privet.db',
        'tokens.json',
        aside[0]!,
      ].sort(),
      'no temp file',
    );
    assert.ok(r.stderr.includes(`moved aside to ${join(state, aside[0]!)}`), r.stderr);
    assert.match(
      r.stderr,
      /every previously issued token is now invalid; without a token now: rev \(issue theirs/,
    );
    assert.doesNotMatch(r.stderr + r.stdout, /SECRETVALUE/);
    // The new file is a valid store, owner-only, holding exactly the printed tokens.
    assert.equal(statSync(file).mode & 0o777, 0o600);
    const store = readTokenStore(state);
    assert.deepEqual(Object.keys(store).sort(), ['ana', 'stu']);
    assert.equal(matchToken(store, printed.ana!)?.user, 'ana');
    assert.equal(matchToken(store, printed.stu!)?.user, 'stu');
    // Issuing without --reset works again and keeps the others' tokens.
    const again = issue(state, ['rev']);
    assert.equal(again.code, 0, again.stderr);
    assert.deepEqual(Object.keys(readTokenStore(state)).sort(), ['ana', 'rev', 'stu']);
  });

  test('--reset on a valid file revokes every stored token, with nothing moved aside', () => {
    const { state } = stateWith('{}');
    const first = issue(state, ['ana', 'rev']);
    assert.equal(first.code, 0, first.stderr);
    const oldRev = first.stdout
      .split('\n')
      .find((l) => l.startsWith('rev\t'))!
      .split('\t')[1]!;
    const r = issue(state, ['ana'], '--reset');
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /every previously issued token is now invalid/);
    assert.doesNotMatch(r.stderr, /moved aside/);
    assert.deepEqual(readdirSync(state).sort(), [
      'audit-head-privet.db.json',
      'audit-keyed-privet.db.json',
      'master.key',
      'privet.db',
      'tokens.json',
    ]);
    const db = new Database(join(state, 'privet.db'), { readonly: true });
    const resets = db
      .prepare<[], { details: string }>(
        "SELECT details FROM audit_log WHERE action = 'token.issued' ORDER BY seq",
      )
      .all()
      .map((e) => JSON.parse(e.details) as { users: string[]; reset: boolean });
    db.close();
    assert.deepEqual(
      resets.map((e) => [e.users, e.reset]),
      [
        [['ana', 'rev'], false],
        [['ana'], true],
      ],
      'both issues are on the record, the second as a reset',
    );
    const store = readTokenStore(state);
    assert.deepEqual(Object.keys(store), ['ana']);
    assert.equal(matchToken(store, oldRev), undefined);
  });

  test('--help documents --reset and the way out of a malformed file', () => {
    const r = privet('token', 'issue', '--help');
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /--reset\s+start a new token file/);
    assert.match(r.stdout, /tokens\.json\.malformed-<time>/);
    assert.match(r.stdout, /If <state>\/tokens\.json is malformed/);
  });
});
