// Why: a publish of masked views that fails early should not create a state database, and the
// gateway passes its own open one; so the records and the publication ledger are opened on first
// use, and only a database this publish opened itself is closed when it ends.
import { join } from 'node:path';
import type { Policy } from '@privet/core';
import { AuditLog } from '../audit/log.js';
import { openDurableDb, type Db } from '../audit/sqlite.js';
import { PublicationLedger } from './charge.js';
import type { PublishRecords } from './publish-types.js';

/** The state database and publication ledger of one publish, each opened when first needed. */
export class LazyRecords {
  private own: Db | undefined;
  private records: PublishRecords | undefined;
  private ledger: PublicationLedger | undefined;

  constructor(
    private readonly stateDir: string,
    private readonly policy: Policy,
    given?: PublishRecords,
  ) {
    this.records = given;
  }

  /** The records the caller gave, or `<stateDir>/privet.db` opened now. */
  open(): PublishRecords {
    if (!this.records) {
      this.own = openDurableDb(join(this.stateDir, 'privet.db'));
      this.records = { db: this.own, audit: new AuditLog(this.own) };
    }
    return this.records;
  }

  /** The publication ledger on those records, made on first use. */
  charges(): PublicationLedger {
    if (this.ledger) return this.ledger;
    const { db, audit } = this.open();
    this.ledger = new PublicationLedger(db, audit, this.policy);
    return this.ledger;
  }

  /** The publication ledger if this publish made one (it holds reservations to settle), else undefined. */
  chargesIfOpened(): PublicationLedger | undefined {
    return this.ledger;
  }

  /** Closes the database this opened itself (never the one the caller gave). */
  close(): void {
    this.own?.close();
  }
}
