/**
 * DP releases the ledger has committed: the only ones the review check may trust as Privet
 * releases (a pending or refunded reservation never released anything), each bound to the
 * SHA-256 of its content so a real id cannot vouch for other numbers.
 */
import { createHash } from 'node:crypto';
import type { ReleaseClaim } from '@privet/core';
import type { Db } from '../audit/sqlite.js';
import { ensureLedgerSchema, LEDGER_TABLE_NAMES } from '../ledger/schema.js';
import { ensureTables } from '../audit/sqlite.js';
import { HttpError } from '../http/errors.js';

/** Most releases one verification call may ask about. */
export const MAX_RELEASE_IDS = 1000;

/** Looks releases up among the ledger's committed charges and the digests stored with them. */
export class ReleaseRegistry {
  private readonly stmt;

  /** Reads the ledger tables of `db` (creating them if this database has none yet). */
  constructor(db: Db) {
    ensureTables(db, LEDGER_TABLE_NAMES, () => ensureLedgerSchema(db));
    // A join's charges record `<id>/<source>`: '/' sorts just below '0', so the range
    // [id + '/', id + '0') holds exactly those (and uses the UNIQUE index on release_id).
    // Charges committed without a digest (a synthetic view's publication) vouch for nothing.
    this.stmt = db.prepare<[string, string, string, string, string], { n: number }>(
      `SELECT count(*) AS n FROM ledger_release_digests d
       WHERE d.release_id = ? AND d.digest = ? AND EXISTS (
         SELECT 1 FROM ledger_reservations r
         WHERE (r.release_id = ? OR (r.release_id >= ? AND r.release_id < ?))
           AND r.status = 'committed')`,
    );
  }

  /** True when the ledger committed release `id` with content of SHA-256 `digest` (hex). */
  has(id: string, digest: string): boolean {
    if (typeof id !== 'string' || id.length === 0 || id.length > 200 || id.includes('/'))
      return false;
    if (typeof digest !== 'string' || !/^[0-9a-f]{64}$/.test(digest)) return false;
    return (this.stmt.get(id, digest, id, `${id}/`, `${id}0`)?.n ?? 0) > 0;
  }

  /** True when the ledger committed release `id` with exactly `content` (`releaseContentText`). */
  hasContent(id: string, content: string): boolean {
    return this.has(id, createHash('sha256').update(content, 'utf8').digest('hex'));
  }

  /** The committed claims among `claims`, each once, in the order asked. */
  valid(claims: readonly ReleaseClaim[]): ReleaseClaim[] {
    const seen = new Set<string>();
    return claims.filter((c) => {
      const key = `${c.id} ${c.digest}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return this.has(c.id, c.digest);
    });
  }
}

/** Validates a VerifyReleasesRequest body and returns its claims. */
export function releaseClaimsBody(body: unknown): ReleaseClaim[] {
  const claims = (body as { releases?: unknown } | null)?.releases;
  const ok = (c: unknown): boolean => {
    const x = c as Partial<ReleaseClaim> | null;
    return (
      typeof x === 'object' &&
      x !== null &&
      typeof x.id === 'string' &&
      x.id.length > 0 &&
      x.id.length <= 200 &&
      typeof x.digest === 'string' &&
      /^[0-9a-f]{64}$/.test(x.digest)
    );
  };
  if (!Array.isArray(claims) || claims.length > MAX_RELEASE_IDS || !claims.every(ok))
    throw new HttpError(
      'bad_request',
      '"releases" must be a list of { id, digest } claims',
      `send { "releases": [{ "id": "<release id>", "digest": "<SHA-256 hex of the release content>" }] } with at most ${MAX_RELEASE_IDS} claims`,
    );
  return (claims as ReleaseClaim[]).map((c) => ({ id: c.id, digest: c.digest }));
}
