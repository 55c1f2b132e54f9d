// A damaged state database or a full disk is told with the path and the fix, not in SQLite's or
// the OS's words ("database disk image is malformed", "ENOSPC: no space left on device, write"),
// and never quoting the data that was being written.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  copyFileSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  truncateSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { openDurableDb } from '../../gateway/src/audit/sqlite.js';
import { StorageError } from '../../gateway/src/storage-errors.js';
import { cliErrorMessage } from '../../gateway/src/cli-errors.js';
import { issueTokensRecorded, withStateRecords } from '../../gateway/src/http/token-audit.js';
import { privet, type CliRun } from './run-cli.js';

let dir: string;
let policy: string;

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'privet-storage-errors-'));
  policy = join(dir, 'policy.yaml');
  copyFileSync(fileURLToPath(new URL('../fixtures/http/policy.yaml', import.meta.url)), policy);
});
after(() => rmSync(dir, { recursive: true, force: true }));

/** A state folder with tokens for ana and a database holding their audit entry. */
function stateWithTokens(): string {
  const state = mkdtempSync(join(dir, 'state-'));
  withStateRecords(state, (records) => issueTokensRecorded(records, 'cli', state, ['ana']));
  return state;
}

/** A state folder whose privet.db was cut short (a copy interrupted, a disk that failed). */
function truncatedState(): { state: string; db: string } {
  const state = stateWithTokens();
  const db = join(state, 'privet.db');
  truncateSync(db, Math.floor(statSync(db).size / 2));
  return { state, db };
}

/** Asserts a refusal names the damaged database and both ways out, and not SQLite's words alone. */
function assertDamagedDbMessage(r: CliRun, db: string, state: string): void {
  assert.equal(r.code, 1, r.stdout + r.stderr);
  assert.ok(r.stderr.includes(`the gateway database ${db} is unreadable`), r.stderr);
  assert.match(r.stderr, /Fix: restore it from a backup, or move it aside to start a new state/);
  assert.ok(r.stderr.includes(`\`privet audit verify --state ${state}\``), r.stderr);
  assert.doesNotMatch(r.stderr, /^privet: database disk image is malformed$/m);
}

describe('a damaged state database', () => {
  test('opening it throws a StorageError naming the path and the fix', () => {
    const { db } = truncatedState();
    assert.throws(
      () => openDurableDb(db),
      (error: unknown) =>
        error instanceof StorageError &&
        error.path === db &&
        error.message.includes(`the gateway database ${db} is unreadable`) &&
        /Fix: restore it from a backup/.test(error.message),
    );
    const text = join(mkdtempSync(join(dir, 'text-')), 'privet.db');
    writeFileSync(text, 'notes, not a database\n'.repeat(300));
    assert.throws(() => openDurableDb(text), /is unreadable: it is corrupt, truncated or not a/);
  });

  test('`privet serve` on a truncated privet.db names the file and the fix', () => {
    const { state, db } = truncatedState();
    const r = privet('serve', '--policy', policy, '--state', state, '--port', '0');
    assertDamagedDbMessage(r, db, state);
  });

  test('`privet token revoke` on a truncated privet.db names the file and the fix', () => {
    const { state, db } = truncatedState();
    const r = privet('token', 'revoke', '--state', state, '--user', 'ana');
    assertDamagedDbMessage(r, db, state);
  });
});

describe('a full disk', () => {
  const preload = pathToFileURL(fileURLToPath(new URL('fail-token-writes.mjs', import.meta.url)));

  /** `privet token issue` in `state` while writes of tokens.json fail with `code`. */
  function issueOnFullDisk(state: string, code: string): CliRun {
    const saved = { options: process.env.NODE_OPTIONS, code: process.env.PRIVET_TEST_WRITE_ERROR };
    process.env.NODE_OPTIONS = `${saved.options ?? ''} --import=${preload.href}`.trim();
    process.env.PRIVET_TEST_WRITE_ERROR = code;
    try {
      return privet('token', 'issue', '--policy', policy, '--state', state, '--user', 'ana');
    } finally {
      if (saved.options === undefined) delete process.env.NODE_OPTIONS;
      else process.env.NODE_OPTIONS = saved.options;
      delete process.env.PRIVET_TEST_WRITE_ERROR;
    }
  }

  for (const code of ['ENOSPC', 'SQLITE_FULL']) {
    test(`${code} through the CLI's handler says which folder and how to fix it`, () => {
      const state = stateWithTokens();
      const before = readFileSync(join(state, 'tokens.json'), 'utf8');
      const r = issueOnFullDisk(state, code);
      assert.equal(r.code, 1, r.stdout + r.stderr);
      assert.equal(r.stdout, '', 'no token printed');
      assert.equal(
        r.stderr.trim(),
        `privet: the disk holding ${state} is full (${code}). Fix: free space on that disk and ` +
          'run the command again; nothing was published or charged past the last committed step',
      );
      assert.doesNotMatch(r.stderr, /injected/, 'the raw message is not echoed');
      assert.equal(readFileSync(join(state, 'tokens.json'), 'utf8'), before, 'file unchanged');
    });
  }
});

describe('cliErrorMessage', () => {
  /** An error as SQLite or the OS throws it, with a data value in its message. */
  const raw = (code: string, extra: object = {}) =>
    Object.assign(new Error(`${code}: failed writing 'SECRET-VALUE'`), { code }, extra);

  test('a full disk names the file the OS names, else the --state folder, else a disk', () => {
    const fix = /Fix: free space on that disk and run the command again; nothing was published/;
    const withPath = cliErrorMessage(raw('ENOSPC', { path: '/data/views/x.tmp' }), {
      stateDir: '/data',
    });
    assert.match(withPath, /^the disk holding \/data\/views\/x\.tmp is full \(ENOSPC\)\. /);
    assert.match(withPath, fix);
    const sqlite = cliErrorMessage(raw('SQLITE_FULL'), { stateDir: '/data' });
    assert.match(sqlite, /^the disk holding \/data is full \(SQLITE_FULL\)\. /);
    assert.match(cliErrorMessage(raw('EDQUOT'), {}), /^a disk this command writes to is full/);
    for (const m of [withPath, sqlite]) assert.doesNotMatch(m, /SECRET/);
  });

  test('a damaged or unopenable database names <state>/privet.db and the fix', () => {
    for (const code of ['SQLITE_CORRUPT', 'SQLITE_NOTADB', 'SQLITE_CORRUPT_INDEX']) {
      const m = cliErrorMessage(raw(code), { stateDir: '/srv/state' });
      assert.match(m, /^the gateway database \/srv\/state\/privet\.db is unreadable/);
      assert.match(m, /`privet audit verify --state \/srv\/state` says what is damaged/);
      assert.doesNotMatch(m, /SECRET/);
    }
    assert.match(
      cliErrorMessage(raw('SQLITE_READONLY'), { stateDir: '/srv/state' }),
      /cannot be written \(SQLITE_READONLY\)\. Fix: give this user write access to \/srv\/state/,
    );
    assert.match(
      cliErrorMessage(raw('SQLITE_IOERR_WRITE'), {}),
      /could not be read or written \(SQLITE_IOERR_WRITE\)\. Fix: /,
    );
  });

  test('any other error is told as it is', () => {
    assert.equal(
      cliErrorMessage(new Error('unknown user bob. Fix: x')),
      'unknown user bob. Fix: x',
    );
    assert.equal(cliErrorMessage(raw('SQLITE_BUSY')), "SQLITE_BUSY: failed writing 'SECRET-VALUE'");
  });
});
