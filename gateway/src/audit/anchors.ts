// Why: an anchor (`seq:hash`, printed by `privet audit verify`) is the only thing that catches a
// tail cut whose `audit_head` was rewound too, because it is kept outside the database. The CLI's
// `--anchor` and GET /audit/verify's `?anchor=` parse it here, strictly (a typo must be refused,
// not silently ignored), and the verifier checks every anchor here after the chain itself checks,
// so each failure names the exact anchor that no longer matches. An anchor at or before the
// retention checkpoint cannot be confirmed — its entry is gone, and a wiped log with a forged
// checkpoint looks the same as a real prune — so it fails: take a fresh anchor after each prune.
import type { ChainAnchor } from '@privet/core/record/index';
import type { AuditCheckpoint } from './retention.js';

/** How an anchor is written, for error messages. */
export const ANCHOR_FORM =
  '<seq>:<hash> (a whole number ≥ 0, a colon, then the 64 hex characters of that entry’s hash)';

const SEQ = /^\d+$/;
const HASH = /^[0-9a-f]{64}$/;

/** Shortens user input for an error message. */
function shown(text: string): string {
  return JSON.stringify(text.length > 80 ? `${text.slice(0, 77)}...` : text);
}

/** Parses one `seq:hash` anchor, or says what is wrong with it (without the fix). */
export function parseAnchor(text: string): { anchor: ChainAnchor } | { problem: string } {
  const trimmed = text.trim();
  const colon = trimmed.indexOf(':');
  if (colon < 0) return { problem: `the anchor ${shown(text)} has no ":" between seq and hash` };
  const seqText = trimmed.slice(0, colon);
  const hash = trimmed.slice(colon + 1).toLowerCase();
  const seq = SEQ.test(seqText) ? Number(seqText) : NaN;
  if (!Number.isSafeInteger(seq)) {
    return {
      problem: `the anchor ${shown(text)} has ${shown(seqText)} as its entry number, which is not a whole number from 0 to ${Number.MAX_SAFE_INTEGER}`,
    };
  }
  if (!HASH.test(hash)) {
    return {
      problem: `the anchor ${shown(text)} has a hash that is not 64 hex characters (it has ${hash.length} characters)`,
    };
  }
  return { anchor: { seq, hash } };
}

/** An anchor as the user wrote it (and as `--anchor` takes it). */
export function formatAnchor(anchor: ChainAnchor): string {
  return `${anchor.seq}:${anchor.hash}`;
}

/** What the verifier knows once the chain itself checked. */
export interface AnchoredLog {
  /** Position after the last entry (entries before a checkpoint count). */
  count: number;
  /** The retention checkpoint, when the log was pruned. */
  checkpoint?: AuditCheckpoint;
  /** The stored hash of a kept entry (asked only for anchored positions). */
  hashAt(seq: number): string | undefined;
}

/** Why an anchor fails: the entry it is about, what happened, and how to fix it. */
export interface AnchorFailure {
  index: number;
  message: string;
  fix: string;
}

/** The first anchor (in the order given) the log does not match, if any. */
export function checkAnchors(
  anchors: readonly ChainAnchor[],
  log: AnchoredLog,
  tamperedFix: string,
): AnchorFailure | undefined {
  for (const a of anchors) {
    const cp = log.checkpoint;
    if (cp && a.seq <= cp.seq) {
      return {
        index: a.seq,
        message:
          `the anchor ${formatAnchor(a)} predates the last prune: the log was pruned through entry ` +
          `#${cp.seq} (its newest audit.pruned entry says so), so entry #${a.seq} is gone and the ` +
          'anchor cannot be confirmed — a retention prune and a cut log with a forged prune look the same from here',
        fix:
          'check that the newest audit.pruned entry (listed by GET /api/v1/audit) was your retention policy’s prune; ' +
          'if it was, verify again without this anchor and keep the anchor that check prints ' +
          '(take a fresh anchor after each prune); if it was not, ' +
          tamperedFix,
      };
    }
    if (a.seq >= log.count) {
      return {
        index: log.count,
        message:
          `the log ends at entry #${log.count - 1}, but the anchor ${formatAnchor(a)} vouches for ` +
          `entry #${a.seq} — the log was rewritten or cut at or before #${log.count} ` +
          '(and its recorded head moved with it)',
        fix: tamperedFix,
      };
    }
    const actual = log.hashAt(a.seq);
    if (actual !== a.hash) {
      return {
        index: a.seq,
        message:
          `entry #${a.seq} does not match the anchor ${formatAnchor(a)} (its hash is now ` +
          `${actual ?? 'missing'}) — the log was rewritten at or before #${a.seq}`,
        fix: tamperedFix,
      };
    }
  }
  return undefined;
}
