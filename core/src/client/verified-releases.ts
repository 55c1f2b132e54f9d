/**
 * Which DP releases a gateway's ledger vouches for, by release id AND content (the ledger keeps
 * the SHA-256 of what it released, so a real id cannot vouch for other numbers). Shared by both
 * notebook hosts: the review engine asks synchronously (`ReviewContext.knownRelease`), so a lookup
 * records the releases it could not answer; they are hashed (Web Crypto), verified in one
 * POST /releases/verify, and the caller checks the output again.
 */
import type { DpRelease } from '../dpsql/types.js';
import { digestOfContent, releaseContentText } from '../review/dp-release.js';
import type { GatewayClient } from './gateway-client.js';

/** Most releases kept, and most characters of their content; beyond either the cache starts over. */
const MAX_CACHED = 10_000;
const MAX_CACHED_CHARS = 20_000_000;
/** Most releases verified per call. */
const MAX_PER_CALL = 500;

/** A check's `knownRelease` callback. */
export type KnownRelease = (id: string, content: string) => boolean;

/** Releases a check asked about that the cache could not answer, by `id + '\n' + content`. */
export type UnknownReleases = Map<string, { id: string; content: string }>;

/** The part of a gateway client the cache uses. */
export type ReleaseVerifier = Pick<GatewayClient, 'baseUrl' | 'verifyReleases'>;

/** Verified (true) and refused (false) releases of one gateway at a time, by id and content. */
export class VerifiedReleases {
  private readonly known = new Map<string, boolean>();
  private chars = 0;
  private gateway = '';

  /** `onError` hears why a verify call failed (the releases stay unknown, so outputs stay held). */
  constructor(private readonly onError: (error: unknown) => void = () => undefined) {}

  /** Records a release the gateway at `baseUrl` just sent this host (a DP query's answer). */
  remember(release: DpRelease, baseUrl: string): void {
    this.useGateway(baseUrl);
    this.set(releaseKey(release.releaseId, releaseContentText(release)), true);
  }

  /** A `knownRelease` lookup; releases not cached yet are added to `unknown`, if given. */
  lookup(unknown?: UnknownReleases): KnownRelease {
    return (id, content) => {
      const k = releaseKey(id, content);
      const answer = this.known.get(k);
      if (answer === undefined) unknown?.set(k, { id, content });
      return answer === true;
    };
  }

  /**
   * Asks `client`'s gateway about `releases` (at most 500 per call); true when anything new was
   * learned. A failed call learns nothing and is reported to `onError`.
   */
  async verify(client: ReleaseVerifier, releases: UnknownReleases): Promise<boolean> {
    this.useGateway(client.baseUrl);
    const asked = [...releases].filter(([k]) => !this.known.has(k)).slice(0, MAX_PER_CALL);
    if (asked.length === 0) return false;
    try {
      const claims = await Promise.all(
        asked.map(async ([k, r]) => ({ k, id: r.id, digest: await digestOfContent(r.content) })),
      );
      const { valid } = await client.verifyReleases(
        claims.map(({ id, digest }) => ({ id, digest })),
      );
      if (client.baseUrl !== this.gateway) return false; // switched gateways meanwhile
      const ok = new Set(valid.map((c) => `${c.id} ${c.digest}`));
      for (const c of claims) this.set(c.k, ok.has(`${c.id} ${c.digest}`));
      return true;
    } catch (error) {
      this.onError(error);
      return false;
    }
  }

  /** Forgets every release when the hosts switch to another gateway (its ledger is another). */
  private useGateway(baseUrl: string): void {
    if (baseUrl === this.gateway) return;
    this.known.clear();
    this.chars = 0;
    this.gateway = baseUrl;
  }

  private set(k: string, verified: boolean): void {
    if (this.known.size >= MAX_CACHED || this.chars + k.length > MAX_CACHED_CHARS) {
      this.known.clear();
      this.chars = 0;
    }
    if (!this.known.has(k)) this.chars += k.length;
    this.known.set(k, verified);
  }
}

function releaseKey(id: string, content: string): string {
  return `${id}\n${content}`;
}
