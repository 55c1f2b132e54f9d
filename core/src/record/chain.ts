// Why: the audit log is tamper-evident, not tamper-proof. Each entry stores the SHA-256 of its own
// canonical body, and the body includes the previous entry's hash and its position (`seq`), so an
// edited, inserted, deleted or reordered entry breaks the chain at the first place it touches.
// Removing entries from the *end* leaves a valid shorter chain; only an anchor (a head hash kept
// elsewhere) catches that, so `verifyChain` accepts one. Hashing uses Web Crypto so browsers and the
// gateway verify the same way; writers that must hash synchronously hash `entryPreimage` themselves.
import { canonicalJson } from './canonical.js';
import type { AuditBody, AuditEntry, JsonValue } from './types.js';
import { sha256Hex } from '../hex.js';

/** prevHash of the first entry: 64 zeros. */
export const GENESIS_HASH = '0'.repeat(64);

/** The exact text whose UTF-8 bytes are hashed for an entry. */
export function entryPreimage(body: AuditBody): string {
  const { seq, at, actor, action, experiment, subject, details, prevHash } = body;
  const canonical: JsonValue = { seq, at, actor, action, experiment, subject, details, prevHash };
  return canonicalJson(canonical);
}

/** SHA-256 (hex) of an entry body, via Web Crypto. */
export async function hashEntry(body: AuditBody): Promise<string> {
  return sha256Hex(entryPreimage(body));
}

/** A known-good point of the chain kept outside the log (e.g. printed by `privet audit verify`). */
export interface ChainAnchor {
  seq: number;
  hash: string;
}

/** Result of verifying a chain. */
export type ChainReport =
  | { ok: true; count: number; headHash: string }
  | { ok: false; count: number; index: number; message: string };

/** Verifies entries one at a time (for logs too large to hold in memory). */
export class ChainVerifier {
  private index = 0;
  private prev = GENESIS_HASH;
  private failure: { index: number; message: string } | undefined;
  private readonly anchors: ChainAnchor[];

  constructor(anchors: readonly ChainAnchor[] = []) {
    this.anchors = [...anchors];
  }

  /** How many entries have been verified so far. */
  get verified(): number {
    return this.index;
  }

  /** Checks the next entry; returns false (and stops) at the first bad one. */
  async push(entry: AuditEntry): Promise<boolean> {
    if (this.failure) return false;
    const i = this.index;
    const where = `audit entry #${i}`;
    const fail = (message: string): false => {
      this.failure = { index: i, message: `${where}: ${message}` };
      return false;
    };
    if (entry.seq !== i) {
      return fail(
        `has position ${entry.seq}, expected ${i} — an entry before it was deleted, inserted or moved`,
      );
    }
    if (entry.prevHash !== this.prev) {
      return fail(
        'does not link to the entry before it (prevHash mismatch) — that entry was edited, or entries were deleted, inserted or reordered',
      );
    }
    let actual: string;
    try {
      actual = await hashEntry(entry);
    } catch (e) {
      return fail(`cannot be encoded (${e instanceof Error ? e.message : 'unknown error'})`);
    }
    if (actual !== entry.hash) {
      return fail(
        'its contents do not match its stored hash — the entry was edited after it was written',
      );
    }
    for (const a of this.anchors) {
      if (a.seq === i && a.hash !== entry.hash) {
        return fail(
          `differs from the anchor ${a.seq}:${a.hash} — the log was rewritten at or before #${i}`,
        );
      }
    }
    this.prev = entry.hash;
    this.index++;
    return true;
  }

  /** The final report; an anchor beyond the last entry means entries were cut from the tail. */
  finish(): ChainReport {
    if (this.failure) return { ok: false, count: this.index, ...this.failure };
    for (const a of this.anchors) {
      if (a.seq >= this.index) {
        return {
          ok: false,
          count: this.index,
          index: this.index,
          message: `audit log ends at entry #${this.index - 1}, but the anchor ${a.seq}:${a.hash} vouches for entry #${a.seq} — the log was rewritten or cut at or before #${this.index}`,
        };
      }
    }
    return { ok: true, count: this.index, headHash: this.prev };
  }
}

/** Options for `verifyChain`. */
export interface VerifyOptions {
  /** Known-good (seq, hash) points; an anchor past the end means the tail was cut. */
  anchors?: readonly ChainAnchor[];
}

/** Verifies a whole chain and reports the first bad index with a clear message. */
export async function verifyChain(
  entries: Iterable<AuditEntry> | AsyncIterable<AuditEntry>,
  options: VerifyOptions = {},
): Promise<ChainReport> {
  const v = new ChainVerifier(options.anchors);
  for await (const e of entries) {
    if (!(await v.push(e))) break;
  }
  return v.finish();
}
