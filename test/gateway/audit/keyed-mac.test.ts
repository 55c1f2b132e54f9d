/**
 * The keyed audit chain: each entry carries an HMAC of its hash under a key derived from the
 * gateway's master key, so someone who can write the database but not read master.key can no
 * longer rewrite the log consistently — `privet audit verify` names the first forged entry.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac, hkdfSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { GENESIS_HASH, canonicalJson } from '@privet/core/record/index';
import { auditExitCode } from '../../../gateway/src/audit/verify.js';
import {
  formatAuditReport,
  hashEntrySync,
  openDurableDb,
  rowToEntry,
  verifyAuditDb,
  type AuditRow,
} from '../../../gateway/src/audit/index.js';
import { openClockedLog, tamper } from './fixture.js';

/**
 * Rewrites the log from entry `from` on as an attacker without the key would: `edit` changes that
 * entry's details, every later hash is recomputed, the head moved, and the old MACs kept.
 */
function rewriteFrom(path: string, from: number, edit: (d: AuditRow['details']) => string): void {
  tamper(path, 'SELECT 1');
  const raw = openDurableDb(path);
  const rows = raw.prepare<[], AuditRow>('SELECT * FROM audit_log ORDER BY seq').all();
  raw.prepare('DELETE FROM audit_log WHERE seq >= ?').run(from);
  const insert = raw.prepare(
    `INSERT INTO audit_log (seq, at, actor, action, experiment, subject, details, prev_hash, hash, mac)
     VALUES (@seq, @at, @actor, @action, @experiment, @subject, @details, @prev_hash, @hash, @mac)`,
  );
  let prev = rows[from - 1]?.hash ?? GENESIS_HASH;
  for (const r of rows.slice(from)) {
    const details = r.seq === from ? edit(r.details) : r.details;
    const { hash: _old, ...body } = { ...rowToEntry({ ...r, details }), prevHash: prev };
    const hash = hashEntrySync(body);
    insert.run({ ...r, details, prev_hash: prev, hash });
    prev = hash;
  }
  raw.prepare('UPDATE audit_head SET hash = ? WHERE id = 0').run(prev);
  raw.close();
}

test('every entry carries a MAC of a key derived from master.key, never the master key itself', async () => {
  const t = openClockedLog('privet-keyed-');
  try {
    t.fill(4);
    const master = new Uint8Array(readFileSync(join(t.dir, 'master.key')));
    const rows = t.db
      .prepare<[], { hash: string; mac: string | null }>('SELECT hash, mac FROM audit_log')
      .all();
    assert.equal(rows.length, 5, 'a fresh log starts with its audit.keyed entry (#0), then the 4');
    // HKDF-SHA-256 with its own label (as the token and leak-index keys are derived).
    const derived = Buffer.from(
      hkdfSync('sha256', master, new Uint8Array(0), 'privet-audit-mac|v1', 32),
    );
    for (const { hash, mac } of rows) {
      const [id, tag] = (mac ?? '').split(':');
      assert.match(id ?? '', /^[0-9a-f]{16}$/);
      assert.equal(tag, createHmac('sha256', derived).update(hash).digest('hex'));
      assert.notEqual(tag, createHmac('sha256', master).update(hash).digest('hex'));
    }
    const r = await verifyAuditDb(t.path);
    assert.equal(r.ok, true, r.message);
    assert.equal(r.macsChecked, true);
    assert.match(r.message, /MACs checked with this host's key \(id [0-9a-f]{16}\)/);
  } finally {
    t.close();
  }
});

test('a rewrite with a consistent hash chain is TAMPERED at its first entry; without the key it passes on hashes and says so', async () => {
  const t = openClockedLog('privet-keyed-');
  try {
    t.fill(8);
    const secret = 'SECRET-VALUE-7731';
    rewriteFrom(t.path, 3, (d) => canonicalJson({ ...JSON.parse(d), note: secret }));
    const r = await verifyAuditDb(t.path);
    assert.equal(r.ok, false);
    assert.equal(r.firstBad?.index, 3, r.message);
    assert.match(r.message, /audit entry #3 has a valid hash chain but a wrong MAC/);
    assert.match(r.message, /Fix: .*restore the database from a backup/);
    assert.match(formatAuditReport(r), /^TAMPERED /);
    assert.equal(auditExitCode(r), 1);
    assert.doesNotMatch(r.message, new RegExp(secret), 'no data value is echoed');

    const hashesOnly = await verifyAuditDb(t.path, [], { key: null });
    assert.equal(hashesOnly.ok, true, hashesOnly.message);
    assert.equal(hashesOnly.macsChecked, false);
    assert.match(hashesOnly.message, /MACs not checked: this check ran without the gateway's key/);
  } finally {
    t.close();
  }
});

test('an entry added behind the gateway (valid hash, head moved, no MAC) is TAMPERED', async () => {
  const t = openClockedLog('privet-keyed-');
  try {
    t.fill(4); // #0 is the fresh log's audit.keyed entry
    const last = t.log.head()!;
    const body = {
      seq: last.seq + 1,
      at: '2026-01-09T00:00:00.000Z',
      actor: 'mallory',
      action: 'view.access' as const,
      experiment: 'e',
      subject: 'v9',
      details: {},
      prevHash: last.hash,
    };
    const hash = hashEntrySync(body);
    tamper(
      t.path,
      `INSERT INTO audit_log (seq, at, actor, action, experiment, subject, details, prev_hash, hash)
       VALUES (${body.seq}, '${body.at}', 'mallory', 'view.access', 'e', 'v9', '{}', '${last.hash}', '${hash}');
       UPDATE audit_head SET seq = ${body.seq}, hash = '${hash}';`,
    );
    const r = await verifyAuditDb(t.path);
    assert.equal(r.ok, false);
    assert.equal(r.firstBad?.index, 5, r.message);
    assert.match(
      r.message,
      /audit entry #5 has a valid hash chain but no MAC, though the log is keyed from entry #0 on/,
    );
    assert.match(formatAuditReport(r), /^TAMPERED /);
    // The gateway writes on (it records the break in an audit.keyed entry); the entry stays named.
    t.log.append({ actor: 'alice', action: 'view.access', experiment: 'e' });
    const after = await verifyAuditDb(t.path);
    assert.equal(after.firstBad?.index, 5, after.message);
    assert.match(formatAuditReport(after), /^TAMPERED /);
  } finally {
    t.close();
  }
});
