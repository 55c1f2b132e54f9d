// Why: core's ChainVerifier starts at the genesis entry; a log pruned under the retention policy
// (see retention.ts) starts after a checkpoint instead. This verifier applies the same checks —
// position, link to the previous hash, the entry's own hash (same preimage, hashed synchronously),
// anchors — starting from the checkpoint, and also requires that the newest `audit.pruned` entry
// of the kept chain records exactly this checkpoint, so a moved checkpoint or a longer cut is caught.
import type { AuditEntry, ChainAnchor, ChainReport } from '@privet/core/record/index';
import { hashEntrySync } from './log.js';
import type { AuditCheckpoint } from './retention.js';

/** Verifies entries one at a time from a retention checkpoint on. */
export class PrunedChainVerifier {
  private index: number;
  private prev: string;
  private failure: { index: number; message: string } | undefined;
  private recorded: { seq: unknown; hash: unknown } | undefined;
  private readonly checkpoint: AuditCheckpoint;
  private readonly anchors: ChainAnchor[];

  /** Starts after `checkpoint`; an anchor at it must match it, one before it fails (it cannot be checked). */
  constructor(checkpoint: AuditCheckpoint, anchors: readonly ChainAnchor[] = []) {
    this.checkpoint = checkpoint;
    this.index = checkpoint.seq + 1;
    this.prev = checkpoint.hash;
    this.anchors = [...anchors];
  }

  /** Position after the last verified entry (entries before the checkpoint count as verified). */
  get verified(): number {
    return this.index;
  }

  /** Checks the next entry; returns false (and stops) at the first bad one. */
  push(entry: AuditEntry): Promise<boolean> {
    return Promise.resolve(this.check(entry));
  }

  private check(entry: AuditEntry): boolean {
    if (this.failure) return false;
    const i = this.index;
    const fail = (message: string): false => {
      this.failure = { index: i, message: `audit entry #${i}: ${message}` };
      return false;
    };
    if (entry.seq !== i) {
      return fail(
        `has position ${entry.seq}, expected ${i} after the retention checkpoint #${this.checkpoint.seq} — entries were deleted, inserted or moved`,
      );
    }
    if (entry.prevHash !== this.prev) {
      return fail(
        'does not link to the entry before it (prevHash mismatch) — that entry or the retention checkpoint was edited, or entries were deleted, inserted or reordered',
      );
    }
    const { hash, ...body } = entry;
    if (hashEntrySync(body) !== hash) {
      return fail(
        'its contents do not match its stored hash — the entry was edited after it was written',
      );
    }
    if (this.anchors.some((a) => a.seq === i && a.hash !== hash)) {
      return fail(
        'differs from the anchored hash recorded for this position — the log was rewritten',
      );
    }
    if (entry.action === 'audit.pruned') {
      this.recorded = { seq: entry.details['throughSeq'], hash: entry.details['throughHash'] };
    }
    this.prev = hash;
    this.index++;
    return true;
  }

  /** The final report (count is the position after the last entry, as for an unpruned log). */
  finish(): ChainReport {
    if (this.failure) return { ok: false, count: this.index, ...this.failure };
    const cp = this.checkpoint;
    const failAt = (index: number, message: string): ChainReport => ({
      ok: false,
      count: this.index,
      index,
      message,
    });
    if (!this.recorded || this.recorded.seq !== cp.seq || this.recorded.hash !== cp.hash) {
      return failAt(
        cp.seq + 1,
        `the retention checkpoint (#${cp.seq}) is not the one recorded by the newest audit.pruned entry — the checkpoint was moved or more entries were cut`,
      );
    }
    for (const a of this.anchors) {
      // An anchor inside the pruned part cannot be checked: the entries it vouches for are gone,
      // and a wiped log with a forged checkpoint would look the same. Not "intact" (fail closed).
      if (a.seq < cp.seq) {
        return failAt(
          cp.seq,
          `entry #${a.seq} was anchored, but the log was pruned through entry #${cp.seq}, so the anchor cannot be checked — if that prune was the retention policy's, verify with an anchor taken after it (the "anchor:" line of this report), otherwise the log was cut`,
        );
      }
      if (a.seq === cp.seq && a.hash !== cp.hash) {
        return failAt(cp.seq, `the anchored hash of entry #${a.seq} differs from the checkpoint`);
      }
      if (a.seq >= this.index) {
        return failAt(
          this.index,
          `audit log ends at entry #${this.index - 1}, but entry #${a.seq} was anchored — entries were deleted from the end`,
        );
      }
    }
    return { ok: true, count: this.index, headHash: this.prev };
  }
}
