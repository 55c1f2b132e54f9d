/**
 * DP release ids the ledger has committed: the only ids the review check may trust as Privet
 * releases (a pending or refunded reservation never released anything).
 */
import type { Db } from '../audit/sqlite.js';
import { ensureLedgerSchema } from '../ledger/schema.js';
import { ensureTables } from '../audit/sqlite.js';
import { HttpError } from '../http/errors.js';

/** Most ids one verification call may ask about. */
export const MAX_RELEASE_IDS = 1000;

/** Looks release ids up among the ledger's committed charges. */
export class ReleaseRegistry {
  private readonly stmt;

  /** Reads the ledger tables of `db` (creating them if this database has none yet). */
  constructor(db: Db) {
    ensureTables(db, ['ledger_reservations', 'ledger_totals'], () => ensureLedgerSchema(db));
    // A join's charges record `<id>/<source>`: '/' sorts just below '0', so the range
    // [id + '/', id + '0') holds exactly those (and uses the UNIQUE index on release_id).
    this.stmt = db.prepare<[string, string, string], { n: number }>(
      `SELECT count(*) AS n FROM ledger_reservations
       WHERE (release_id = ? OR (release_id >= ? AND release_id < ?)) AND status = 'committed'`,
    );
  }

  /** True when `id` is the release id of a committed charge (of any source, for joins). */
  has(id: string): boolean {
    if (typeof id !== 'string' || id.length === 0 || id.length > 200 || id.includes('/'))
      return false;
    return (this.stmt.get(id, `${id}/`, `${id}0`)?.n ?? 0) > 0;
  }

  /** The committed ids among `ids`, each once, in the order asked. */
  valid(ids: readonly string[]): string[] {
    return [...new Set(ids)].filter((id) => this.has(id));
  }
}

/** Validates a VerifyReleasesRequest body and returns its ids. */
export function releaseIdsBody(body: unknown): string[] {
  const ids = (body as { ids?: unknown } | null)?.ids;
  if (
    !Array.isArray(ids) ||
    ids.length > MAX_RELEASE_IDS ||
    !ids.every((id) => typeof id === 'string' && id.length > 0 && id.length <= 200)
  )
    throw new HttpError(
      'bad_request',
      '"ids" must be a list of release ids',
      `send { "ids": [...] } with at most ${MAX_RELEASE_IDS} ids of at most 200 characters`,
    );
  return ids as string[];
}
