// Why: core's ChainVerifier starts at the genesis entry; a log pruned under the retention policy
// (see retention.ts) starts after a checkpoint instead. This verifier applies the same checks —
// position, link to the previous hash, the entry's own hash (same preimage, hashed synchronously),
// anchors — starting from the checkpoint, and also requires that the newest `audit.pruned` entry
// of the kept chain records exactly this checkpoint, so a moved checkpoint or a longer cut is caught.
// Since the pruned entries are gone, a prune is only as believable as its own record, so that
// record must be possible: each `audit.pruned` entry is well formed, its cutoff (`olderThan`) is at
// least `retentionDays` before its own time (`at`), as pruneAuditLog writes it — a prune run with a
// clock set ahead breaks this or the next check —, no entry is dated after the check itself (a
// prune dated ahead has no later entry to contradict it yet), times along the kept chain do not go back, and,
// when the policy is known, the last prune kept entries at least the policy's retention.
import type { AuditEntry, ChainAnchor, ChainReport } from '@privet/core/record/index';
import { canonicalJson } from '@privet/core/record/index';
import { hashEntrySync } from './log.js';
import { rowToEntry, type AuditRow } from './rows.js';
import type { AuditCheckpoint } from './retention.js';

const DAY_MS = 86_400_000;
/**
 * How far back an entry's time may be from the one before it. The gateway stamps entries with the
 * wall clock, which a time service may step back a little; a prune that deletes entries early
 * needs its clock ahead by a large part of the retention period (at least a day), far beyond this.
 */
export const CLOCK_STEP_BACK_MS = 5 * 60_000;
const HASH = /^[0-9a-f]{64}$/;

/** What the newest `audit.pruned` entry of the kept chain recorded. */
interface PruneRecord {
  /** Position of the audit.pruned entry itself. */
  entry: number;
  throughSeq: number;
  throughHash: string;
  retentionDays: number;
  /** Its cutoff (`olderThan`, ms): every entry it deleted is older. */
  olderThan: number;
}

/** What the verifier knows beyond the log itself. */
export interface PrunedVerifyOptions {
  /** The policy's `retention.audit_log_days`: the last prune must have kept entries at least this long. */
  retentionDays?: number;
  /** The last pruned entry's row as the checkpoint keeps it (JSON; `readCheckpointEntry`). */
  checkpointEntry?: string;
  /** The time of the check (ms; default now): no entry of a pruned log may be dated after it. */
  now?: number;
}

/** Verifies entries one at a time from a retention checkpoint on. */
export class PrunedChainVerifier {
  private index: number;
  private prev: string;
  private prevAt: { ms: number; text: string } | undefined;
  private failure: { index: number; message: string } | undefined;
  private recorded: PruneRecord | undefined;
  private readonly checkpoint: AuditCheckpoint;
  private readonly anchors: ChainAnchor[];
  private readonly policyDays: number | undefined;
  private readonly checkpointEntry: string | undefined;
  private readonly now: number;

  /** Starts after `checkpoint`; an anchor at or before it fails (it cannot be confirmed). */
  constructor(
    checkpoint: AuditCheckpoint,
    anchors: readonly ChainAnchor[] = [],
    options: PrunedVerifyOptions = {},
  ) {
    this.checkpoint = checkpoint;
    this.index = checkpoint.seq + 1;
    this.prev = checkpoint.hash;
    this.anchors = [...anchors];
    this.policyDays = options.retentionDays;
    this.checkpointEntry = options.checkpointEntry;
    this.now = options.now ?? Date.now();
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
    const at = Date.parse(entry.at);
    if (!Number.isFinite(at)) {
      return fail(`has the time ${JSON.stringify(entry.at)}, which is not a date — it was forged`);
    }
    if (at > this.now + CLOCK_STEP_BACK_MS) {
      return fail(
        `is dated ${entry.at}, after the time of this check (${new Date(this.now).toISOString()}): ` +
          'no entry is written in the future, so it was forged or written with a clock set ahead, ' +
          'and a prune dated ahead can delete entries before their retention period ended. ' +
          'Fix: if the gateway clock was ahead, set it right and keep this log for an investigation; ' +
          'compare it with an anchor taken before (privet audit verify --anchor)',
      );
    }
    if (this.prevAt && at < this.prevAt.ms - CLOCK_STEP_BACK_MS) {
      return fail(
        `is dated ${entry.at}, before entry #${i - 1} (${this.prevAt.text}): times along a pruned log ` +
          'do not go back, so an entry was dated ahead — a prune ran with a clock set ahead and ' +
          'deleted entries before their retention period ended — or entries were forged',
      );
    }
    if (entry.action === 'audit.pruned') {
      const problem = this.pruneProblem(entry, at);
      if (problem) return fail(problem);
    }
    this.prev = hash;
    this.prevAt = { ms: at, text: entry.at };
    this.index++;
    return true;
  }

  /** What is impossible about an `audit.pruned` entry (and records it when it is possible). */
  private pruneProblem(entry: AuditEntry, at: number): string | undefined {
    const d = entry.details;
    const throughSeq = d['throughSeq'];
    const throughHash = d['throughHash'];
    const olderThan = d['olderThan'];
    const days = d['retentionDays'];
    const before = this.recorded?.throughSeq ?? -1;
    if (
      typeof throughSeq !== 'number' ||
      !Number.isSafeInteger(throughSeq) ||
      throughSeq <= before ||
      throughSeq >= entry.seq
    ) {
      return `is an audit.pruned entry whose throughSeq (${JSON.stringify(throughSeq)}) is not a position after the previous prune's (#${before}) and before the entry itself — it was forged`;
    }
    if (typeof throughHash !== 'string' || !HASH.test(throughHash)) {
      return 'is an audit.pruned entry whose throughHash is not a SHA-256 hash — it was forged';
    }
    if (typeof days !== 'number' || !Number.isInteger(days) || days < 1) {
      return `is an audit.pruned entry whose retentionDays (${JSON.stringify(days)}) is not a whole number ≥ 1 — it was forged`;
    }
    const cutoff = typeof olderThan === 'string' ? Date.parse(olderThan) : NaN;
    if (!Number.isFinite(cutoff)) {
      return `is an audit.pruned entry whose olderThan (${JSON.stringify(olderThan)}) is not a date — it was forged`;
    }
    // pruneAuditLog sets olderThan = now − retentionDays, and the entry's own time is taken after.
    if (cutoff > at - days * DAY_MS) {
      return (
        `is an audit.pruned entry dated ${entry.at} that deleted entries up to ${String(olderThan)}, ` +
        `less than its ${days} days of retention before its own time — the prune ran with a clock ` +
        'set ahead (entries were deleted before their retention period ended) or the entry was forged'
      );
    }
    this.recorded = {
      entry: entry.seq,
      throughSeq,
      throughHash,
      retentionDays: days,
      olderThan: cutoff,
    };
    return undefined;
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
    const recorded = this.recorded;
    if (!recorded || recorded.throughSeq !== cp.seq || recorded.throughHash !== cp.hash) {
      return failAt(
        cp.seq + 1,
        `the retention checkpoint (#${cp.seq}) is not the one recorded by the newest audit.pruned entry — the checkpoint was moved or more entries were cut`,
      );
    }
    if (this.policyDays !== undefined && recorded.retentionDays < this.policyDays) {
      return failAt(
        recorded.entry,
        `the last prune (audit.pruned entry #${recorded.entry}) kept entries only ${recorded.retentionDays} days, ` +
          `but the policy keeps them ${this.policyDays} days (retention.audit_log_days) — entries were deleted ` +
          'before their retention period ended (if retention.audit_log_days was raised after that prune, ' +
          'this is expected until the next prune under the new value)',
      );
    }
    for (const a of this.anchors) {
      // An anchor at or inside the pruned part cannot be checked: the entries it vouches for are
      // gone, and a wiped log with a checkpoint forged at the anchor would look the same.
      if (a.seq <= cp.seq) {
        return failAt(
          a.seq,
          `entry #${a.seq} was anchored, but it predates the last prune (through entry #${cp.seq}), so the ` +
            'anchor cannot be confirmed — take a fresh anchor after each prune',
        );
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

  /**
   * What is wrong with the last pruned entry the checkpoint keeps (asked after `finish` passed and
   * the anchors were checked): it must be there, be the entry the chain links to (its hash), and
   * be older than the newest prune's cutoff — else the prune deleted entries still within their
   * retention period (the chain alone shows only their last hash).
   */
  keptEntryProblem(): string | undefined {
    const cp = this.checkpoint;
    const recorded = this.recorded;
    if (!recorded) return `the retention checkpoint (#${cp.seq}) has no audit.pruned entry`;
    const what = `the retention checkpoint (#${cp.seq})`;
    if (this.checkpointEntry === undefined)
      return `${what} does not keep the last pruned entry, so the prune cannot be shown to have deleted only entries older than its cutoff — it was forged or stripped (a checkpoint written before this check is kept has none either)`;
    let entry: AuditEntry;
    let row: AuditRow;
    try {
      row = JSON.parse(this.checkpointEntry) as AuditRow;
      entry = rowToEntry(row);
    } catch {
      return `${what} keeps an unreadable last pruned entry — it was edited`;
    }
    const { hash, ...body } = entry;
    if (
      entry.seq !== cp.seq ||
      hash !== cp.hash ||
      row.details !== canonicalJson(entry.details) ||
      hashEntrySync(body) !== hash
    )
      return `${what} keeps a last pruned entry that is not the one the log links to (its position or hash differ) — it was forged`;
    const at = Date.parse(entry.at);
    if (!Number.isFinite(at) || at >= recorded.olderThan)
      return (
        `the last pruned entry #${cp.seq} is dated ${entry.at}, not before the prune's cutoff ` +
        `${new Date(recorded.olderThan).toISOString()} — entries were deleted before their retention period ended`
      );
    return undefined;
  }
}
