// Why: a row is trusted while it hashes to the record hash of its last seal entry (seal.ts), but the
// seal entry is itself a row of the same file: whoever can write the database can insert or alter
// one recording the hash of a row they edited. Entries carry a MAC under the audit key (audit/mac.ts)
// that such a writer cannot make, so the seal entry a row's trust rests on is checked as
// `privet audit verify` checks it (verify-macs.ts): its stored text must hash to its recorded hash
// (details in canonical form, as the gateway writes them), and from the point the log was keyed on
// (its first entry with a MAC, or an `audit.keyed` entry) it must carry this gateway's MAC of that
// hash. Entries before that point legitimately have none (they are vouched for by the hash chain
// only, as verify reports). A MAC of another key is accepted only on an entry older than this key's
// first entry (master.key was replaced since; that first entry must verify): a foreign-key entry
// after it can only have been added by someone without the key. Without a key beside the database
// (an in-memory one) only the MAC's presence and form are checked, as verify does. Each read costs
// one SHA-256 and one HMAC at most; an entry that passed is remembered by its exact contents.
import { createHash } from 'node:crypto';
import {
  canonicalJson,
  entryPreimage,
  type AuditAction,
  type AuditBody,
  type JsonValue,
} from '@privet/core/record/index';
import { AUDIT_KEYED, auditMacKeyForDb, parseMac, type AuditMacKey } from '../audit/mac.js';
import type { AuditRow } from '../audit/rows.js';
import { hasColumn, type Db } from '../audit/sqlite.js';

/** The seal entry a row's trust rests on: its audit_log row as stored (with its MAC column). */
export type SealEntryRow = Omit<AuditRow, 'mac'> & { mac: string | null };

/** What this connection learnt of its log (entries before a seal entry do not change). */
interface LogFacts {
  /** Entries below this seq carry no MAC and are no `audit.keyed` entry. */
  clearBelow: number;
  /** The first entry with a MAC or an `audit.keyed` action, once found. */
  keyedFrom?: number;
  /** The first entry carrying a MAC with this key's id, once found (and whether it verified). */
  firstOwn?: { seq: number; valid: boolean };
  /** Seal entries that passed, by their exact contents. */
  passed: Set<string>;
}

const facts = new WeakMap<Db, LogFacts>();
const keys = new WeakMap<Db, AuditMacKey>();
const MAX_PASSED = 1024;

function factsOf(db: Db): LogFacts {
  let f = facts.get(db);
  if (!f) {
    f = { clearBelow: 0, passed: new Set() };
    facts.set(db, f);
  }
  return f;
}

/**
 * The audit key of the database's state folder: the one its AuditLog MACs with (the gateway opens
 * it without a key of its own, so the log derives it from master.key beside the database). Looked
 * up again while there is none (the log creates the file when it first opens the database).
 */
function keyOf(db: Db): AuditMacKey | undefined {
  const known = keys.get(db);
  if (known) return known;
  const key = auditMacKeyForDb(db.name, false);
  if (key) keys.set(db, key);
  return key;
}

/** The SHA-256 (hex) of an entry as stored, or why its text is not what the gateway writes. */
function entryHash(row: SealEntryRow): { hash: string } | { problem: string } {
  let details: unknown;
  try {
    details = JSON.parse(row.details);
  } catch {
    return { problem: 'has unreadable details' };
  }
  if (typeof details !== 'object' || details === null || Array.isArray(details))
    return { problem: 'has unreadable details' };
  const fields = details as { [key: string]: JsonValue };
  // JSON.parse keeps a duplicated key's last value, SQLite's json_extract its first: only the
  // canonical text both read alike.
  if (row.details !== canonicalJson(fields))
    return { problem: 'has details not in the canonical form the gateway writes' };
  const body: AuditBody = {
    seq: row.seq,
    at: row.at,
    actor: row.actor,
    action: row.action as AuditAction,
    experiment: row.experiment,
    subject: row.subject,
    details: fields,
    prevHash: row.prev_hash,
  };
  const hash = createHash('sha256').update(entryPreimage(body), 'utf8').digest('hex');
  return hash === row.hash ? { hash } : { problem: 'does not hash to the hash recorded for it' };
}

/** The first entry before `seq` with a MAC or an `audit.keyed` action, if any. */
function keyedBefore(db: Db, seq: number): number | undefined {
  const f = factsOf(db);
  if (f.keyedFrom !== undefined && f.keyedFrom < seq) return f.keyedFrom;
  if (seq <= f.clearBelow) return undefined;
  const withMac = hasColumn(db, 'audit_log', 'mac') ? 'mac IS NOT NULL OR ' : '';
  const found = db
    .prepare<[number, number, string], { seq: number }>(
      `SELECT seq FROM audit_log WHERE seq >= ? AND seq < ? AND (${withMac}action = ?)
       ORDER BY seq LIMIT 1`,
    )
    .get(f.clearBelow, seq, AUDIT_KEYED);
  if (!found) {
    f.clearBelow = seq;
    return undefined;
  }
  f.clearBelow = found.seq;
  f.keyedFrom = found.seq;
  return found.seq;
}

/** The first entry MACed with `key`'s id, and whether its MAC verifies (undefined: none yet). */
function firstOwnEntry(db: Db, key: AuditMacKey): { seq: number; valid: boolean } | undefined {
  const f = factsOf(db);
  if (f.firstOwn) return f.firstOwn;
  const row = db
    .prepare<[string, string], SealEntryRow>(
      'SELECT * FROM audit_log WHERE mac >= ? AND mac < ? ORDER BY seq LIMIT 1',
    )
    .get(`${key.id}:`, `${key.id};`);
  if (!row) return undefined;
  const hashed = entryHash(row);
  f.firstOwn = { seq: row.seq, valid: 'hash' in hashed && key.verifies(row.mac, hashed.hash) };
  return f.firstOwn;
}

/** Why the entry's MAC does not vouch for it, or undefined when it does (see above). */
function macProblem(db: Db, row: SealEntryRow, hash: string): string | undefined {
  if (row.mac === null) {
    const keyedAt = keyedBefore(db, row.seq);
    return keyedAt === undefined
      ? undefined
      : `carries no MAC, though the audit log is keyed from entry #${keyedAt} on`;
  }
  const parsed = parseMac(row.mac);
  if (!parsed) return 'has a malformed MAC';
  const key = keyOf(db);
  if (!key) return undefined;
  if (parsed.keyId === key.id)
    return key.verifies(row.mac, hash)
      ? undefined
      : "carries a MAC that does not match this gateway's audit key";
  const own = firstOwnEntry(db, key);
  if (own && !own.valid)
    return `carries a MAC of another key (id ${parsed.keyId}), and entry #${own.seq}, the first with this gateway's key id, has a MAC that does not match it`;
  if (own && row.seq < own.seq) return undefined;
  return `carries a MAC of another key (id ${parsed.keyId}) ${own ? `though this gateway's key MACs the log from entry #${own.seq} on` : "and no entry carries this gateway's key"}`;
}

/**
 * Why the seal entry `row` cannot be relied on (a phrase following "audit entry #N"), or undefined
 * when it can: its text is as the gateway wrote it and its MAC (or, before keying, its lack of one)
 * vouches for it. Never throws for a changed entry; an unreadable master.key is thrown as keys.ts
 * words it (the log itself cannot be opened with it either).
 */
export function sealEntryProblem(db: Db, row: SealEntryRow): string | undefined {
  const f = factsOf(db);
  const contents = JSON.stringify(Object.values(row));
  if (f.passed.has(contents)) return undefined;
  const hashed = entryHash(row);
  if ('problem' in hashed) return hashed.problem;
  const problem = macProblem(db, row, hashed.hash);
  if (problem) return problem;
  if (f.passed.size >= MAX_PASSED) f.passed.clear();
  f.passed.add(contents);
  return undefined;
}
