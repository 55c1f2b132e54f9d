/**
 * Which DP release ids the gateway's ledger has committed, cached per gateway. The review engine
 * asks synchronously (`knownReleaseIds`), so a check first records the ids it was asked about;
 * unknown ones are verified in one POST /releases/verify and the check is run again.
 */
import type { GatewayClient } from '../client.js';

/** Most ids kept; beyond it the cache starts over (ids are re-verified on demand). */
const MAX_CACHED = 10_000;

/** A cache of verified (true) and refused (false) release ids. */
export class ReleaseCache {
  private readonly known = new Map<string, boolean>();
  private baseUrl = '';

  /** A lookup for `ReviewContext.knownReleaseIds` that notes every id not yet cached. */
  lookup(unknown: Set<string>): (id: string) => boolean {
    return (id: string) => {
      const answer = this.known.get(id);
      if (answer === undefined) unknown.add(id);
      return answer === true;
    };
  }

  /** Verifies `ids` with the gateway; returns true when anything new was learned. */
  async verify(client: GatewayClient, ids: Iterable<string>): Promise<boolean> {
    if (client.baseUrl !== this.baseUrl) {
      this.known.clear();
      this.baseUrl = client.baseUrl;
    }
    const asked = [...ids].filter((id) => !this.known.has(id)).slice(0, 500);
    if (asked.length === 0) return false;
    const { valid } = await client.verifyReleases(asked);
    if (this.known.size + asked.length > MAX_CACHED) this.known.clear();
    const ok = new Set(valid);
    for (const id of asked) this.known.set(id, ok.has(id));
    return true;
  }
}
