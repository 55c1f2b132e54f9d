// Why: once the walk (verify-walk.ts) has read the chain, the checks that judge the log run in the
// same read snapshot, in an order that makes the first failure the most telling: the chain, the
// recorded head (as the recorded head it is), the anchors, a pruned log's kept last entry, the
// MACs, the keyed-log marker, the experiment records, the head's MAC and last the head mark beside
// the database (the reasons for each are in verify.ts's header). A check asked to leave the markers
// out (`skipMarkers`) says so in its summary, so it never reads as the full check.
import type { ChainAnchor } from '@privet/core/record/index';
import { checkAnchors } from './anchors.js';
import { experimentRecordProblems, RECORD_FIX, RECORD_UPGRADE_FIX } from './verify-records.js';
import type { MacCheck } from './verify-macs.js';
import { isFilePath } from './mac.js';
import { HEAD_FIX, headMacProblem, type RecordedHead } from './verify-head.js';
import { keyedMarkerPath, markerProblem, readKeyedMarker } from './keyed-marker.js';
import { PrunedChainVerifier } from './verify-pruned.js';
import type { AuditWalk } from './verify-walk.js';
import type { AuditCheckpoint } from './retention.js';
import type { Db } from './sqlite.js';
import type { AuditReport, AuditVerifyOptions } from './verify.js';
import {
  behindUnauthenticatedMark,
  notUpgraded,
  unauthenticatedMarkNote,
} from './verify-report.js';
import {
  damagedMarkFix,
  rollbackFix,
  rollbackProblem,
  unauthenticatedMarkFix,
  unauthenticatedRollbackProblem,
  type HeadMarkRead,
  type MarkedLog,
} from './head-mark.js';

/** How to respond to a log that fails verification. */
export const FIX =
  'restore the database from a backup, compare it with this file, and find out who had write access to it';

/** What the walk read, in the same snapshot: the recorded head, the checkpoint, the head mark. */
export interface Walked {
  walk: AuditWalk;
  head: RecordedHead | undefined;
  checkpoint: AuditCheckpoint | undefined;
  mark: HeadMarkRead;
}

/** The checks after the walk (inside its read transaction): the report. */
export function judge(
  db: Db,
  path: string,
  anchors: readonly ChainAnchor[],
  options: AuditVerifyOptions,
  { walk, head, checkpoint, mark }: Walked,
): AuditReport {
  const { verifier } = walk;
  const hashAt = walk.hashAt(db);
  const result = verifier.finish();
  if (!result.ok) return bad(path, result.count, result.index, result.message, FIX);
  if (!head && result.count > 0) {
    return bad(path, result.count, 0, 'the audit head record is missing — it was deleted', FIX);
  }
  if (head) {
    const problem = headProblem(head, result.count, hashAt(head.seq));
    if (problem) return bad(path, result.count, problem.index, problem.message, FIX);
  }
  const anchorFailure = checkAnchors(
    anchors,
    { count: result.count, ...(checkpoint ? { checkpoint } : {}), hashAt },
    FIX,
  );
  if (anchorFailure) {
    const { index, message, fix } = anchorFailure;
    return bad(path, result.count, index, message, fix);
  }
  const kept = verifier instanceof PrunedChainVerifier ? verifier.keptEntryProblem() : undefined;
  if (kept) return bad(path, result.count, checkpoint?.seq ?? 0, kept, FIX);
  const mac = walk.macs.finish();
  if (mac.forged) {
    const { index, message, fix } = mac.forged;
    return { ...bad(path, result.count, index, message, fix), macsChecked: !!options.key };
  }
  const marked = options.skipMarkers ? undefined : keyedMarkerFailure(path, result.count, mac);
  if (marked) return marked;
  const records = experimentRecordProblems(db, result.count);
  if (records && !records.notUpgraded)
    return bad(path, result.count, records.index, records.message, RECORD_FIX);
  // After the record checks: a cut that took an experiment's entries names the experiment.
  const headMac = headMacProblem(head, mac, options.key ?? undefined);
  if (headMac) {
    return {
      ...bad(path, result.count, headMac.index, headMac.message, HEAD_FIX),
      macsChecked: !!options.key,
    };
  }
  const rolledBack = headMarkFailure(path, mark, { count: result.count, checkpoint, hashAt });
  if (rolledBack) return { ...rolledBack, macsChecked: !!options.key };
  const tip = head ? { seq: head.seq, hash: head.hash } : undefined;
  const stale = [
    ...(mac.notUpgraded ? [mac.notUpgraded] : []),
    ...(records ? [{ ...records, fix: RECORD_UPGRADE_FIX }] : []),
  ];
  if (stale.length > 0) return notUpgraded(path, result.count, stale);
  const pruned = checkpoint
    ? ` (#0…#${checkpoint.seq} pruned under the retention policy, checkpoint ${checkpoint.hash})`
    : '';
  const markers = options.skipMarkers ? MARKERS_SKIPPED : headMarkNote(mark);
  const summary = tip
    ? `audit log intact: ${result.count} entries${pruned}, head #${tip.seq} ${tip.hash}; ${mac.summary}${markers}`
    : 'audit log intact: no entries yet';
  return {
    ok: true,
    path,
    entries: result.count,
    ...(tip ? { head: tip } : {}),
    message: summary,
    macsChecked: !!options.key,
  };
}

const MARKERS_SKIPPED =
  '; the log alone was checked: the head mark and keyed-log marker beside the database were not';

const MARKER_FIX =
  'compare the log with the anchors you kept outside this host, keep a copy of this file for the ' +
  'investigation, restore the database from a backup taken after the gateway keyed it, and find out ' +
  'who had write access to it. If you restored (or replaced) this database on purpose with one from ' +
  'before that point, run `privet audit accept-restore --state <dir> --reason "<why>"`: it checks that ' +
  "the copy's own log is intact, keeps the marker under a superseded name and records the restore in " +
  'the audit log; the gateway then marks the restored log anew';

/**
 * The report when the marker beside master.key says this database was keyed further than its log
 * shows (or the marker is damaged); undefined when it agrees or there is none (as before markers).
 */
function keyedMarkerFailure(path: string, count: number, mac: MacCheck): AuditReport | undefined {
  if (!isFilePath(path)) return undefined;
  const read = readKeyedMarker(path);
  if ('missing' in read) return undefined;
  if ('problem' in read) {
    return bad(
      path,
      count,
      0,
      `${read.problem}, so whether this log was keyed further cannot be told`,
      `restore ${keyedMarkerPath(path)} from a backup of the state folder; if it was damaged and the log matches your anchors, move it aside and start the gateway once, which writes it anew`,
    );
  }
  const problem = markerProblem(
    read.marker,
    {
      count,
      first: mac.first,
      keyedFrom: mac.keyedFrom,
      keyedFromKeyId: mac.keyedFromKeyId,
    },
    keyedMarkerPath(path),
  );
  return problem ? bad(path, count, problem.index, problem.message, MARKER_FIX) : undefined;
}

/**
 * The report when the head mark says the gateway committed entries this database does not hold
 * (an earlier copy was put in its place), or the mark is damaged or forged; undefined when it
 * agrees, is missing, or was made with another master key (replaced at the gateway's next write).
 */
function headMarkFailure(
  path: string,
  mark: HeadMarkRead,
  log: MarkedLog,
): AuditReport | undefined {
  if ('problem' in mark) {
    return bad(
      path,
      log.count,
      0,
      `${mark.problem}, so whether this database was replaced with an earlier copy of itself cannot be told`,
      damagedMarkFix(path),
    );
  }
  if ('unauthenticated' in mark) {
    const behind = unauthenticatedRollbackProblem(mark.unauthenticated, log, path);
    return (
      behind && behindUnauthenticatedMark(path, log.count, behind, unauthenticatedMarkFix(path))
    );
  }
  if (!('mark' in mark)) return undefined;
  const problem = rollbackProblem(mark.mark, log, path);
  return problem
    ? bad(path, log.count, problem.index, problem.message, rollbackFix(path, mark.mark))
    : undefined;
}

/** What an intact report says of the head mark (nothing when there is none, as before marks). */
function headMarkNote(mark: HeadMarkRead): string {
  if ('mark' in mark) return `; the gateway's head mark (#${mark.mark.seq}) matched`;
  if ('unauthenticated' in mark) return unauthenticatedMarkNote(mark.unauthenticated);
  if ('otherKey' in mark) {
    return `; the head mark was made with another master key (id ${mark.otherKey}), so it was not checked (the gateway replaces it at its next write)`;
  }
  return '';
}

/** What is wrong with the recorded head (audit_head) of a chain that verified, if anything. */
function headProblem(
  head: ChainAnchor,
  count: number,
  actual: string | undefined,
): { index: number; message: string } | undefined {
  const recorded = `the recorded head (audit_head) says the log ends at #${head.seq}`;
  if (head.seq >= count) {
    const ends = count > 0 ? `it ends at #${count - 1}` : 'it holds no entries';
    return {
      index: count,
      message: `${recorded}, but ${ends} — entries were deleted from the end`,
    };
  }
  if (head.seq + 1 < count) {
    return {
      index: head.seq + 1,
      message: `audit entries #${head.seq + 1}…#${count - 1} come after the recorded head (#${head.seq}) — they were added outside the gateway`,
    };
  }
  if (actual !== head.hash) {
    return {
      index: head.seq,
      message: `${recorded} with hash ${head.hash}, but entry #${head.seq} has ${actual ?? 'none'} — the log or its recorded head was rewritten`,
    };
  }
  return undefined;
}

/** The report of a failed check: what happened at entry `index` and how to fix it. */
export function bad(
  path: string,
  entries: number,
  index: number,
  what: string,
  fix: string,
): AuditReport {
  return {
    ok: false,
    path,
    entries,
    firstBad: { index, message: what },
    message: `audit log check failed: ${what}. Fix: ${fix}`,
  };
}
