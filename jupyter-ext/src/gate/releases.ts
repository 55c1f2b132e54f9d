/**
 * Which DP releases the gateway's ledger has committed, cached per gateway. A release is trusted
 * by its id AND its content (the ledger keeps the SHA-256 of what it released), so a real id
 * cannot vouch for other numbers. The review engine asks synchronously (`knownRelease`), so a
 * check first records the releases it was asked about; unknown ones are hashed (Web Crypto),
 * verified in one POST /releases/verify, and the check is run again.
 */
import { digestOfContent } from '@privet/core';
import type { GatewayClient } from '../client.js';

/** Most releases kept, and most characters of their content; beyond either the cache starts over. */
const MAX_CACHED = 10_000;
const MAX_CACHED_CHARS = 20_000_000;
/** Most releases verified per call. */
const MAX_PER_CALL = 500;

/** Releases a check asked about that the cache could not answer yet, by `id + '\n' + content`. */
export type UnknownReleases = Map<string, { id: string; content: string }>;

/** A cache of verified (true) and refused (false) releases, by id and content. */
export class ReleaseCache {
  private readonly known = new Map<string, boolean>();
  private chars = 0;
  private baseUrl = '';

  /** A lookup for `ReviewContext.knownRelease` that notes every release not yet cached. */
  lookup(unknown: UnknownReleases): (id: string, content: string) => boolean {
    return (id: string, content: string) => {
      const key = `${id}\n${content}`;
      const answer = this.known.get(key);
      if (answer === undefined) unknown.set(key, { id, content });
      return answer === true;
    };
  }

  /** Verifies `releases` with the gateway; returns true when anything new was learned. */
  async verify(client: GatewayClient, releases: UnknownReleases): Promise<boolean> {
    if (client.baseUrl !== this.baseUrl) {
      this.known.clear();
      this.chars = 0;
      this.baseUrl = client.baseUrl;
    }
    const asked = [...releases].filter(([key]) => !this.known.has(key)).slice(0, MAX_PER_CALL);
    if (asked.length === 0) return false;
    const claims = await Promise.all(
      asked.map(async ([key, r]) => ({ key, id: r.id, digest: await digestOfContent(r.content) })),
    );
    const { valid } = await client.verifyReleases(claims.map(({ id, digest }) => ({ id, digest })));
    const ok = new Set(valid.map((c) => `${c.id} ${c.digest}`));
    const size = claims.reduce((n, c) => n + c.key.length, 0);
    if (this.known.size + claims.length > MAX_CACHED || this.chars + size > MAX_CACHED_CHARS) {
      this.known.clear();
      this.chars = 0;
    }
    for (const c of claims) this.known.set(c.key, ok.has(`${c.id} ${c.digest}`));
    this.chars += size;
    return true;
  }
}
