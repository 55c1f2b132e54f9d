// Why: hashing happens synchronously with node:crypto inside the writer's SQLite transaction (Web
// Crypto is async and cannot run inside better-sqlite3's synchronous transactions); it hashes the
// same canonical preimage that core's Web Crypto verifier hashes, so both always agree.
// Each entry is also MACed (mac.ts) with the audit key of the database's state folder, found
// through the connection the log already gets (so no caller changes); whenever the newest entry
// is not this key's (a log from before keying, a replaced master.key, or an entry written without
// the key), an `audit.keyed` entry is appended first, so the point where MACs start is on record.
// The recorded head (audit_head) is MACed too (signHead), in the same transaction as each append,
// so a tail cut with the head rewound shows without an anchor. Where head MACs start is on the
// signed chain: every audit.keyed entry this version writes says `headMac: true` (a fresh log
// starts with one at #0), and a log keyed by an earlier version gets one more at start. If the
// gateway finds the head without a valid MAC while head MACs are on record, the audit.keyed entry
// it then appends says so (`head`), so its next append cannot paper over a cut (verify-head.ts).
// The first time the gateway keys a database it leaves a marker beside master.key (keyed-marker.ts).
// A writable connection to a database file is checked against the head mark beside it before
// anything is written (a database put back to an earlier copy of itself is refused), and the mark
// follows the committed head while the log is written (head-mark.ts, head-mark-keeper.ts).
import { createHash } from 'node:crypto';
import {
  GENESIS_HASH,
  canonicalJson,
  entryPreimage,
  type AuditBody,
  type AuditEntry,
  type AuditInput,
  type ChainAnchor,
} from '@privet/core/record/index';
import { ensureAuditSchema, ensureHeadMacColumn, ensureMacColumn } from './schema.js';
import {
  AUDIT_KEYED,
  AuditMacKey,
  HEAD_MAC_DETAIL,
  auditMacKeyForDb,
  isFilePath,
  parseMac,
} from './mac.js';
import { ensureTables, hasColumn, hasTable, immediate, type Db } from './sqlite.js';
import { readKeyedMarker, writeKeyedMarker } from './keyed-marker.js';
import { checkHeadMarkAtOpen, headMarkKeeper, type HeadMarkKeeper } from './head-mark-keeper.js';
import { verifyAuditConnection, type AuditReport, type AuditVerifyOptions } from './verify.js';
import { rowToEntry, type AuditRow } from './rows.js';

/** SHA-256 (hex) of an entry body, synchronously (same bytes as core's `hashEntry`). */
export function hashEntrySync(body: AuditBody): string {
  return createHash('sha256').update(entryPreimage(body), 'utf8').digest('hex');
}

/** How the log MACs its entries. */
export interface AuditLogOptions {
  /**
   * The gateway's master key (the MAC key is derived from it). Default: the master key of the
   * database's state folder (created if missing, as publish does); an in-memory database has
   * none. `null` writes no MACs — `privet audit verify` then reports such entries after keying.
   */
  masterKey?: Uint8Array | null;
  /** At most one head-mark write per this many ms while entries are appended (default 1000). */
  headMarkIntervalMs?: number;
}

interface LastRow {
  seq: number;
  hash: string;
  mac: string | null;
}

const AUDIT_PRUNED = 'audit.pruned';

/** The append-only, hash-chained audit log stored in the gateway's SQLite file. */
export class AuditLog {
  readonly db: Db;
  private readonly clock: () => Date;
  private readonly key: AuditMacKey | undefined;
  /** Hash of the newest entry known to carry this key's MAC (saves re-checking it). */
  private trusted: string | undefined;
  private readonly lastStmt;
  private readonly insertStmt;
  private readonly headStmt;
  private readonly readHeadStmt;
  private readonly headMarkStmt;
  /** Keeps the head mark beside the database (writable file databases with a key only). */
  private readonly mark: HeadMarkKeeper | undefined;

  /** Opens the log on a connection, creating its tables (and MAC columns) if needed. */
  constructor(db: Db, clock: () => Date = () => new Date(), options: AuditLogOptions = {}) {
    this.db = db;
    this.clock = clock;
    const created = !hasTable(db, 'audit_log');
    this.key =
      options.masterKey === null
        ? undefined
        : options.masterKey !== undefined
          ? new AuditMacKey(options.masterKey)
          : auditMacKeyForDb(db.name, !db.readonly);
    const marked = !!this.key && !db.readonly && isFilePath(db.name);
    // Before any write: a database behind its head mark, or without the log it marks, is refused
    // as it is (throws).
    const recorded = marked && this.key ? checkHeadMarkAtOpen(db, this.key) : undefined;
    ensureTables(db, ['audit_log', 'audit_head'], () => ensureAuditSchema(db));
    ensureMacColumn(db);
    ensureHeadMacColumn(db);
    this.lastStmt = db.prepare<[], LastRow>(
      'SELECT seq, hash, mac FROM audit_log ORDER BY seq DESC LIMIT 1',
    );
    this.insertStmt = db.prepare(
      `INSERT INTO audit_log (seq, at, actor, action, experiment, subject, details, prev_hash, hash, mac)
       VALUES (@seq, @at, @actor, @action, @experiment, @subject, @details, @prevHash, @hash, @mac)`,
    );
    // A read-only connection cannot add the head's MAC column: it then neither reads nor writes it.
    const headMac = hasColumn(db, 'audit_head', 'mac');
    this.headStmt = db.prepare(
      headMac
        ? 'INSERT INTO audit_head (id, seq, hash, mac) VALUES (0, @seq, @hash, @mac) ON CONFLICT (id) DO UPDATE SET seq = excluded.seq, hash = excluded.hash, mac = excluded.mac'
        : 'INSERT INTO audit_head (id, seq, hash) VALUES (0, @seq, @hash) ON CONFLICT (id) DO UPDATE SET seq = excluded.seq, hash = excluded.hash',
    );
    this.readHeadStmt = db.prepare<[], LastRow>(
      `SELECT seq, hash, ${headMac ? 'mac' : 'NULL AS mac'} FROM audit_head WHERE id = 0`,
    );
    this.headMarkStmt = db.prepare<[string, string], { details: string }>(
      'SELECT details FROM audit_log WHERE action IN (?, ?) ORDER BY seq DESC LIMIT 1',
    );
    // Record the upgrade point at start (not only at the next action), so a gateway started once
    // leaves a keyed log behind (a fresh log starts with it). A write only when the newest entry
    // is not this key's or head MACs are not on record yet.
    if (this.key && !db.readonly && this.needsKeyedEntry(this.lastStmt.get())) {
      immediate(db, () => this.keyedTail(this.lastStmt.get()));
    }
    if (this.key && !db.readonly && isFilePath(db.name)) this.markKeyed(created);
    if (marked && this.key) {
      this.mark = headMarkKeeper(db, this.key, recorded, options.headMarkIntervalMs);
      // A database created anew replaces the mark of the one before it at once (its commit is
      // durable); otherwise the current head is marked within the interval, or at close.
      if (created) this.mark.flush({ replace: true });
      else this.mark.touched();
    }
  }

  /** Writes the head mark now if the committed head moved past it (else within a second, or at close). */
  flushHeadMark(): void {
    this.mark?.flush();
  }

  /** The audit key's public id (undefined when this log writes no MACs). */
  get keyId(): string | undefined {
    return this.key?.id;
  }

  /**
   * Appends one entry. Inside a caller's (IMMEDIATE) transaction it commits or rolls back with the
   * action it records; otherwise it runs in its own durable transaction.
   */
  append(input: AuditInput): AuditEntry {
    const entry = immediate(this.db, () => this.write(input, this.keyedTail(this.lastStmt.get())));
    this.mark?.touched();
    return entry;
  }

  /**
   * True when an `audit.keyed` entry must come first: the log is empty (a fresh log starts with
   * one), the newest entry is not this key's, or the recorded head carries no valid MAC of it
   * (head MACs not on record yet, or the head lost its MAC).
   */
  private needsKeyedEntry(last: LastRow | undefined): boolean {
    if (!this.key) return false;
    if (!last) return true;
    if (last.hash === this.trusted) return false;
    if (this.key.verifies(last.mac, last.hash) && !this.headBroken(last)) {
      this.trusted = last.hash;
      return false;
    }
    return true;
  }

  /**
   * True when the chain says head MACs are in force: the newest audit.keyed or audit.pruned entry
   * says `headMac` (only called when the head carries no valid MAC, so the log is read rarely).
   */
  private headMacsOnRecord(): boolean {
    const mark = this.headMarkStmt.get(AUDIT_KEYED, AUDIT_PRUNED);
    if (!mark) return false;
    try {
      return (JSON.parse(mark.details) as Record<string, unknown>)[HEAD_MAC_DETAIL] === true;
    } catch {
      return false;
    }
  }

  /** True when the recorded head is not this key's valid MAC of the newest entry `last`. */
  private headBroken(last: LastRow): boolean {
    const head = this.readHeadStmt.get();
    if (!this.key || !head) return true;
    return (
      head.seq !== last.seq ||
      head.hash !== last.hash ||
      !this.key.verifiesHead(head.mac, head.seq, head.hash)
    );
  }

  /**
   * The newest entry, after appending an `audit.keyed` entry when it does not carry this key's
   * MAC, head MACs are not on record yet, or the recorded head lost its MAC (call inside the write
   * transaction). Its details say what the newest entry (and the head) had.
   */
  private keyedTail(last: LastRow | undefined): LastRow | undefined {
    if (!this.key || !this.needsKeyedEntry(last)) return last;
    const found = parseMac(last?.mac);
    const ownMac = !!last && this.key.verifies(last.mac, last.hash);
    const previous = !last
      ? undefined
      : last.mac === null
        ? 'no MAC'
        : !found
          ? 'malformed MAC'
          : found.keyId !== this.key.id
            ? 'MAC of another key'
            : ownMac
              ? 'MAC of this key'
              : 'MAC not matching this key';
    // A head that lost its MAC while head MACs were in force (and the key did not change): a tail
    // cut with the head rewound, or an older gateway writing after the upgrade. Kept on the chain,
    // since this append rewrites the head.
    const headLost = !!last && ownMac && this.headBroken(last) && this.headMacsOnRecord();
    const entry = this.write(
      {
        actor: 'gateway',
        action: AUDIT_KEYED,
        details: {
          keyId: this.key.id,
          [HEAD_MAC_DETAIL]: true,
          ...(last ? { previousEntry: last.seq, previous: previous ?? 'no MAC' } : {}),
          ...(found && found.keyId !== this.key.id ? { previousKeyId: found.keyId } : {}),
          ...(headLost ? { head: 'no valid MAC for the newest entry' } : {}),
        },
      },
      last,
    );
    return { seq: entry.seq, hash: entry.hash, mac: this.key.sign(entry.hash) };
  }

  /**
   * Leaves the keyed-log marker beside master.key the first time this database is keyed (a
   * database created anew replaces it): the first keyed entry and where head MACs start.
   */
  private markKeyed(created: boolean): void {
    if (!created && !('missing' in readKeyedMarker(this.db.name))) return;
    const first = firstKeyedEntry(this.db);
    const keyId = first?.keyId;
    if (!first || !keyId) return;
    const headMac = this.db
      .prepare<[string, string], { seq: number }>(
        `SELECT seq FROM audit_log WHERE action IN (?, ?) AND json_extract(details, '$.${HEAD_MAC_DETAIL}') = 1 ORDER BY seq DESC LIMIT 1`,
      )
      .get(AUDIT_KEYED, AUDIT_PRUNED);
    writeKeyedMarker(
      this.db.name,
      { keyId, seq: first.seq, ...(headMac ? { headMacSeq: headMac.seq } : {}) },
      created,
    );
  }

  /** Writes one entry after `last` (inside the write transaction). */
  private write(input: AuditInput, last: LastRow | undefined): AuditEntry {
    const body: AuditBody = {
      seq: last ? last.seq + 1 : 0,
      at: this.clock().toISOString(),
      actor: input.actor,
      action: input.action,
      experiment: input.experiment ?? null,
      subject: input.subject ?? null,
      details: input.details ?? {},
      prevHash: last ? last.hash : GENESIS_HASH,
    };
    const hash = hashEntrySync(body);
    const mac = this.key ? this.key.sign(hash) : null;
    this.insertStmt.run({ ...body, details: canonicalJson(body.details), hash, mac });
    this.headStmt.run({
      seq: body.seq,
      hash,
      mac: this.key ? this.key.signHead(body.seq, hash) : null,
    });
    if (this.key) this.trusted = hash;
    return { ...body, hash };
  }

  /** The last entry's position and hash (an anchor to keep outside the log), if any. */
  head(): ChainAnchor | undefined {
    const last = this.lastStmt.get();
    return last ? { seq: last.seq, hash: last.hash } : undefined;
  }

  /** Entries in order, optionally for one experiment, starting at `fromSeq`, at most `limit`. */
  entries(options: { experiment?: string; fromSeq?: number; limit?: number } = {}): AuditEntry[] {
    const limit = Math.min(Math.max(options.limit ?? 1000, 1), 10_000);
    const from = options.fromSeq ?? 0;
    const rows =
      options.experiment === undefined
        ? this.db
            .prepare<[number, number], AuditRow>(
              'SELECT * FROM audit_log WHERE seq >= ? ORDER BY seq LIMIT ?',
            )
            .all(from, limit)
        : this.db
            .prepare<[string, number, number], AuditRow>(
              'SELECT * FROM audit_log WHERE experiment = ? AND seq >= ? ORDER BY seq LIMIT ?',
            )
            .all(options.experiment, from, limit);
    return rows.map(rowToEntry);
  }

  /** Verifies the whole chain (and the stored head, and any external anchors). */
  verify(
    anchors: readonly ChainAnchor[] = [],
    options: AuditVerifyOptions = {},
  ): Promise<AuditReport> {
    const key = options.key === undefined ? { key: this.key ?? null } : {};
    return verifyAuditConnection(this.db, anchors, this.db.name, { ...options, ...key });
  }
}

/** The first entry that carries a MAC, with the key id of its MAC (undefined: none, or unreadable). */
export function firstKeyedEntry(db: Db): { seq: number; keyId: string | undefined } | undefined {
  const row = db
    .prepare<[], { seq: number; mac: string }>(
      'SELECT seq, mac FROM audit_log WHERE mac IS NOT NULL ORDER BY seq LIMIT 1',
    )
    .get();
  return row && { seq: row.seq, keyId: parseMac(row.mac)?.keyId };
}
