// Why: hashing happens synchronously with node:crypto inside the writer's SQLite transaction (Web
// Crypto is async and cannot run inside better-sqlite3's synchronous transactions); it hashes the
// same canonical preimage that core's Web Crypto verifier hashes, so both always agree.
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
import { ensureAuditSchema } from './schema.js';
import { ensureTables, immediate, type Db } from './sqlite.js';
import { verifyAuditConnection, type AuditReport, type AuditVerifyOptions } from './verify.js';
import { rowToEntry, type AuditRow } from './rows.js';

/** SHA-256 (hex) of an entry body, synchronously (same bytes as core's `hashEntry`). */
export function hashEntrySync(body: AuditBody): string {
  return createHash('sha256').update(entryPreimage(body), 'utf8').digest('hex');
}

/** The append-only, hash-chained audit log stored in the gateway's SQLite file. */
export class AuditLog {
  readonly db: Db;
  private readonly clock: () => Date;
  private readonly lastStmt;
  private readonly insertStmt;
  private readonly headStmt;

  /** Opens the log on a connection, creating its tables if needed. */
  constructor(db: Db, clock: () => Date = () => new Date()) {
    this.db = db;
    this.clock = clock;
    ensureTables(db, ['audit_log', 'audit_head'], () => ensureAuditSchema(db));
    this.lastStmt = db.prepare<[], { seq: number; hash: string }>(
      'SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1',
    );
    this.insertStmt = db.prepare(
      `INSERT INTO audit_log (seq, at, actor, action, experiment, subject, details, prev_hash, hash)
       VALUES (@seq, @at, @actor, @action, @experiment, @subject, @details, @prevHash, @hash)`,
    );
    this.headStmt = db.prepare(
      'INSERT INTO audit_head (id, seq, hash) VALUES (0, @seq, @hash) ON CONFLICT (id) DO UPDATE SET seq = excluded.seq, hash = excluded.hash',
    );
  }

  /**
   * Appends one entry. Inside a caller's (IMMEDIATE) transaction it commits or rolls back with the
   * action it records; otherwise it runs in its own durable transaction.
   */
  append(input: AuditInput): AuditEntry {
    return immediate(this.db, () => {
      const last = this.lastStmt.get();
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
      this.insertStmt.run({ ...body, details: canonicalJson(body.details), hash });
      this.headStmt.run({ seq: body.seq, hash });
      return { ...body, hash };
    });
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
    return verifyAuditConnection(this.db, anchors, this.db.name, options);
  }
}
