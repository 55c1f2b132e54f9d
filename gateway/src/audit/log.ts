// Why: hashing happens synchronously with node:crypto inside the writer's SQLite transaction (Web
// Crypto is async and cannot run inside better-sqlite3's synchronous transactions); it hashes the
// same canonical preimage that core's Web Crypto verifier hashes, so both always agree.
// Each entry is also MACed (mac.ts) with the audit key of the database's state folder, found
// through the connection the log already gets (so no caller changes); whenever the newest entry
// is not this key's (a log from before keying, a replaced master.key, or an entry written without
// the key), an `audit.keyed` entry is appended first, so the point where MACs start is on record.
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
import { ensureAuditSchema, ensureMacColumn } from './schema.js';
import { AUDIT_KEYED, AuditMacKey, auditMacKeyForDb, parseMac } from './mac.js';
import { ensureTables, immediate, type Db } from './sqlite.js';
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
}

interface LastRow {
  seq: number;
  hash: string;
  mac: string | null;
}

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

  /** Opens the log on a connection, creating its tables (and MAC column) if needed. */
  constructor(db: Db, clock: () => Date = () => new Date(), options: AuditLogOptions = {}) {
    this.db = db;
    this.clock = clock;
    ensureTables(db, ['audit_log', 'audit_head'], () => ensureAuditSchema(db));
    ensureMacColumn(db);
    this.key =
      options.masterKey === null
        ? undefined
        : options.masterKey !== undefined
          ? new AuditMacKey(options.masterKey)
          : auditMacKeyForDb(db.name, !db.readonly);
    this.lastStmt = db.prepare<[], LastRow>(
      'SELECT seq, hash, mac FROM audit_log ORDER BY seq DESC LIMIT 1',
    );
    this.insertStmt = db.prepare(
      `INSERT INTO audit_log (seq, at, actor, action, experiment, subject, details, prev_hash, hash, mac)
       VALUES (@seq, @at, @actor, @action, @experiment, @subject, @details, @prevHash, @hash, @mac)`,
    );
    this.headStmt = db.prepare(
      'INSERT INTO audit_head (id, seq, hash) VALUES (0, @seq, @hash) ON CONFLICT (id) DO UPDATE SET seq = excluded.seq, hash = excluded.hash',
    );
    // Record the upgrade point at start (not only at the next action), so a gateway started once
    // leaves a keyed log behind. A write only when the newest entry is not this key's.
    if (this.key && !db.readonly && this.needsKeyedEntry(this.lastStmt.get())) {
      immediate(db, () => this.keyedTail(this.lastStmt.get()));
    }
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
    return immediate(this.db, () => this.write(input, this.keyedTail(this.lastStmt.get())));
  }

  private needsKeyedEntry(last: LastRow | undefined): boolean {
    if (!this.key || !last || last.hash === this.trusted) return false;
    if (this.key.verifies(last.mac, last.hash)) {
      this.trusted = last.hash;
      return false;
    }
    return true;
  }

  /**
   * The newest entry, after appending an `audit.keyed` entry when it does not carry this key's
   * MAC (call inside the write transaction). Its details say what the newest entry had.
   */
  private keyedTail(last: LastRow | undefined): LastRow | undefined {
    if (!this.key || !last || !this.needsKeyedEntry(last)) return last;
    const found = parseMac(last.mac);
    const previous =
      last.mac === null
        ? 'no MAC'
        : !found
          ? 'malformed MAC'
          : found.keyId === this.key.id
            ? 'MAC not matching this key'
            : 'MAC of another key';
    const entry = this.write(
      {
        actor: 'gateway',
        action: AUDIT_KEYED,
        details: {
          keyId: this.key.id,
          previousEntry: last.seq,
          previous,
          ...(found && found.keyId !== this.key.id ? { previousKeyId: found.keyId } : {}),
        },
      },
      last,
    );
    return { seq: entry.seq, hash: entry.hash, mac: this.key.sign(entry.hash) };
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
    this.headStmt.run({ seq: body.seq, hash });
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
