// Why: verification reads the log once, entry by entry, in pages: the hash chain (core's
// ChainVerifier, or PrunedChainVerifier from a retention checkpoint), the canonical form of each
// entry's details, and its MAC (verify-macs.ts). Both verifiers and the MAC walk keep only running
// state, so the walk can be continued over entries appended after it: the continued walk is
// exactly the walk a full pass would make, without reading the earlier entries again. That is how
// `privet audit accept-restore` reports on the log it has just appended to (verify.ts
// continueAuditWalk): the appended entries must link to the hash of the last entry the first walk
// verified. Limit, honestly: an entry before that point changed in place between the two walks is
// not read again (the next `privet audit verify` sees it, as it sees a change made after a report).
import { ChainVerifier, canonicalJson, type ChainAnchor } from '@privet/core/record/index';
import { rowToEntry, type AuditRow } from './rows.js';
import {
  CLOCK_STEP_BACK_MS,
  PrunedChainVerifier,
  type PrunedVerifyOptions,
} from './verify-pruned.js';
import { MacWalker } from './verify-macs.js';
import type { AuditMacKey } from './mac.js';
import type { AuditCheckpoint } from './retention.js';
import type { Db } from './sqlite.js';

const PAGE = 1000;

/** An entry the walk cannot read as the gateway writes it: its position and what is wrong. */
export interface WalkProblem {
  index: number;
  message: string;
}

/** What a walk starts from and checks with. */
export interface AuditWalkStart {
  /** The database file walked (a continued walk must be of the same file). */
  path: string;
  /** The retention checkpoint the chain starts after (undefined: from the genesis entry). */
  checkpoint: AuditCheckpoint | undefined;
  /** The checkpoint's kept last pruned entry (`readCheckpointEntry`). */
  checkpointEntry: string | undefined;
  /** The caller's anchors, kept outside the database. */
  anchors: readonly ChainAnchor[];
  /** The pruned log's checks (retention days, time of the check). */
  pruned: Omit<PrunedVerifyOptions, 'checkpointEntry'>;
  /** The MAC key (undefined: the MACs' presence and form alone are checked). */
  key: AuditMacKey | undefined;
}

/** One walk of a log, to be continued over the entries appended after it (see the header). */
export class AuditWalk {
  /** What the walk started from. */
  readonly start: AuditWalkStart;
  /** The hash chain's running check. */
  readonly verifier: ChainVerifier | PrunedChainVerifier;
  /** The MACs' running check. */
  readonly macs: MacWalker;
  private readonly hashes = new Map<number, string>();
  private last = -1;
  /** The last position read by the reads before the current one (-1: none). */
  private readBefore = -1;
  private read = 0;
  private readonly startedAt = Date.now();

  /** Starts a walk (nothing is read yet). */
  constructor(start: AuditWalkStart) {
    this.start = start;
    this.verifier = start.checkpoint
      ? new PrunedChainVerifier(start.checkpoint, [], {
          ...start.pruned,
          ...(start.checkpointEntry === undefined
            ? {}
            : { checkpointEntry: start.checkpointEntry }),
        })
      : new ChainVerifier();
    this.macs = new MacWalker(start.key);
  }

  /**
   * False when a pruned chain's check of the entries' times would now fail entries appended since
   * only because the walk took its time of check long ago (it is fixed when the walk starts):
   * such a walk is started again rather than continued.
   */
  get resumable(): boolean {
    if (!this.start.checkpoint || this.start.pruned.now !== undefined) return true;
    return Date.now() - this.startedAt < CLOCK_STEP_BACK_MS / 2;
  }

  /** Entries read so far, by every pass of this walk (each entry once). */
  get entriesRead(): number {
    return this.read;
  }

  /**
   * Reads the entries after the last one read (inside the caller's read transaction), noting the
   * hashes at the `anchored` positions; stops at the first bad one (the verifier's finish names a
   * broken chain), and returns the problem of an entry whose details are not the gateway's.
   */
  async readOn(db: Db, anchored: ReadonlySet<number>): Promise<WalkProblem | undefined> {
    this.readBefore = this.last;
    const page = db.prepare<[number, number], AuditRow>(
      'SELECT * FROM audit_log WHERE seq > ? ORDER BY seq LIMIT ?',
    );
    for (;;) {
      const rows = page.all(this.last, PAGE);
      for (const row of rows) {
        this.read++;
        const at = this.verifier.verified;
        let entry;
        try {
          entry = rowToEntry(row);
        } catch {
          return {
            index: at,
            message: `audit entry #${at} has unreadable details — the entry was edited`,
          };
        }
        // The gateway stores details as canonical JSON. Other text that parses to the same object
        // (a duplicated key: JSON.parse keeps the last value, SQLite's json_extract the first)
        // would pass the hash yet show readers another value.
        if (row.details !== canonicalJson(entry.details)) {
          return {
            index: at,
            message: `audit entry #${at} has details not in the canonical form the gateway writes (e.g. a duplicated key) — the entry was edited`,
          };
        }
        if (!(await this.verifier.push(entry))) return undefined;
        this.macs.push(row, entry);
        if (anchored.has(entry.seq)) this.hashes.set(entry.seq, entry.hash);
        this.last = row.seq;
      }
      if (rows.length < PAGE) return undefined;
    }
  }

  /**
   * The hash at a position the walk was asked to note; for a position read by an earlier pass and
   * not noted then, the hash stored now (that entry was verified by the earlier pass).
   */
  hashAt(db: Db): (seq: number) => string | undefined {
    const stored = db.prepare<[number], { hash: string }>(
      'SELECT hash FROM audit_log WHERE seq = ?',
    );
    return (seq) =>
      this.hashes.get(seq) ?? (seq <= this.readBefore ? stored.get(seq)?.hash : undefined);
  }
}
