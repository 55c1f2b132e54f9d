import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  AuditLog,
  formatAnchor,
  openDurableDb,
  parseAnchor,
  verifyAuditDb,
} from '../../../gateway/src/audit/index.js';
import { privet } from '../run-cli.js';

const HASH = 'ab'.repeat(32);
const POLICY = fileURLToPath(new URL('../../fixtures/http/policy.yaml', import.meta.url));

describe('parseAnchor', () => {
  test('takes the "anchor:" line form, case-insensitive hex', () => {
    assert.deepEqual(parseAnchor(`41:${HASH}`), { anchor: { seq: 41, hash: HASH } });
    assert.deepEqual(parseAnchor(` 0:${HASH.toUpperCase()} `), { anchor: { seq: 0, hash: HASH } });
    assert.equal(formatAnchor({ seq: 41, hash: HASH }), `41:${HASH}`);
  });

  const bad: [string, RegExp][] = [
    [HASH, /has no ":"/],
    [`NaN:${HASH}`, /"NaN" as its entry number, which is not a whole number/],
    [`-1:${HASH}`, /"-1" as its entry number/],
    [`1.5:${HASH}`, /"1.5" as its entry number/],
    [`1e3:${HASH}`, /"1e3" as its entry number/],
    [`:${HASH}`, /"" as its entry number/],
    [`99999999999999999999:${HASH}`, /not a whole number from 0 to/],
    ['3:', /not 64 hex characters \(it has 0/],
    [`3:${HASH.slice(1)}`, /not 64 hex characters \(it has 63/],
    [`3:${HASH}0`, /not 64 hex characters \(it has 65/],
    [`3:${'g'.repeat(64)}`, /not 64 hex characters/],
    [`3:${HASH}:4`, /not 64 hex characters/],
  ];
  for (const [text, why] of bad) {
    test(`refuses ${JSON.stringify(text.slice(0, 24))}…`, () => {
      const r = parseAnchor(text);
      assert.ok('problem' in r, JSON.stringify(r));
      assert.match(r.problem, why);
    });
  }
});

describe('privet audit verify --anchor', () => {
  let dir: string;
  let state: string;
  let first: string;
  let head: string;

  /** Tampering as someone with write access to the file would: drop the triggers first. */
  function tamper(sql: string): void {
    const raw = openDurableDb(join(state, 'privet.db'));
    raw.exec(
      'DROP TRIGGER IF EXISTS audit_log_no_update; DROP TRIGGER IF EXISTS audit_log_no_delete;',
    );
    raw.exec(sql);
    raw.close();
  }

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'privet-audit-anchor-'));
    state = join(dir, 'state');
    mkdirSync(state);
    const stateDb = openDurableDb(join(state, 'privet.db'));
    const log = new AuditLog(stateDb, () => new Date('2026-03-01T12:00:00.000Z'));
    // #0 is the fresh log's audit.keyed entry; #1…#9 these.
    for (let i = 0; i < 9; i++) log.append({ actor: 'alice', action: 'view.access' });
    first = formatAnchor({ seq: 3, hash: log.entries()[3]!.hash });
    stateDb.close();
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('the printed "anchor:" line is taken back (repeatable) and verifies while intact', () => {
    const plain = privet('audit', 'verify', '--state', state);
    assert.equal(plain.code, 0, plain.stdout + plain.stderr);
    head = /^anchor: --anchor (\S+)$/m.exec(plain.stdout)?.[1] ?? '';
    assert.match(head, /^9:[0-9a-f]{64}$/);
    const r = privet('audit', 'verify', '--state', state, '--anchor', first, '--anchor', head);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /^OK /);
  });

  test('a malformed --anchor is a usage error (exit 2) that shows the expected form', () => {
    for (const text of ['NaN:' + HASH, '-1:' + HASH, `3:${HASH.slice(2)}`, 'latest']) {
      const r = privet('audit', 'verify', '--state', state, '--anchor', text);
      assert.equal(r.code, 2, `${text}: ${r.stdout}${r.stderr}`);
      assert.match(
        r.stderr,
        /privet audit verify: the anchor ".*" has .*\. Fix: pass --anchor <seq>:<hash> \(a whole number ≥ 0, a colon, then the 64 hex characters/,
      );
      assert.doesNotMatch(r.stdout, /^OK/);
    }
  });

  test('--policy is accepted (the log was never pruned: nothing to compare)', () => {
    const r = privet('audit', 'verify', '--state', state, '--policy', POLICY, '--anchor', first);
    assert.equal(r.code, 0, r.stdout + r.stderr);
  });

  test('a tail cut with the head rewound fails on the head MAC, and with the anchor names it', () => {
    tamper(`DELETE FROM audit_log WHERE seq >= 6;
            UPDATE audit_head SET seq = 5, hash = (SELECT hash FROM audit_log WHERE seq = 5);`);
    const alone = privet('audit', 'verify', '--state', state);
    assert.equal(alone.code, 1, alone.stdout + alone.stderr);
    assert.match(alone.stdout, /^TAMPERED /);
    assert.match(alone.stdout, /the recorded head \(audit_head\) at #5 carries no valid MAC/);
    assert.match(alone.stdout, /Fix: compare the log with the anchors you kept outside this host/);
    const r = privet('audit', 'verify', '--state', state, '--anchor', first, '--anchor', head);
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.match(r.stdout, /^TAMPERED /);
    assert.ok(
      r.stdout.includes(
        `the log ends at entry #5, but the anchor ${head} vouches for entry #9 — the log was rewritten or cut at or before #6 (and its recorded head moved with it)`,
      ),
      r.stdout,
    );
    assert.match(r.stdout, /Fix: restore the database from a backup/);
  });
});

describe('anchors in verifyAuditDb', () => {
  test('a rewritten entry fails naming the anchor and the hash found instead', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'privet-audit-anchor-lib-'));
    try {
      const path = join(dir, 'state.db');
      const db = openDurableDb(path);
      const log = new AuditLog(db, () => new Date('2026-03-01T12:00:00.000Z'));
      for (let i = 0; i < 5; i++) log.append({ actor: 'alice', action: 'view.access' });
      const anchor = { seq: 2, hash: log.entries()[2]!.hash };
      db.close();
      const wrong = { seq: 2, hash: 'f'.repeat(64) };
      const r = await verifyAuditDb(path, [anchor, wrong]);
      assert.equal(r.ok, false);
      assert.equal(r.firstBad?.index, 2);
      assert.ok(
        r.message.includes(
          `entry #2 does not match the anchor ${formatAnchor(wrong)} (its hash is now ${anchor.hash})`,
        ),
        r.message,
      );
      assert.equal((await verifyAuditDb(path, [anchor])).ok, true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
