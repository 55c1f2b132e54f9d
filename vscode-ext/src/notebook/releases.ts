/**
 * Which DP releases the gateway's ledger vouches for, by release id AND content: the releases
 * Privet's SQL controller received in this window, and those POST /releases/verify confirmed. A
 * value in Privet's DP-release MIME type is otherwise an imitation (a kernel can display any
 * bundle): core's check flags it `dp-provenance`. The check asks synchronously (`knownRelease`),
 * so a lookup records the releases it could not answer; they are verified in one call and the
 * output is checked again.
 */
import {
  checkOutput,
  digestOfContent,
  holdWhileViewsUnknown,
  releaseContentText,
  type NotebookOutput,
  type ReviewResult,
  type ViewUsed,
} from '@privet/core';
import type { DpRelease } from '@privet/core/protocol';
import type { GatewayClient } from '../client/gateway.js';
import { asDrawn } from '../shared/output-items.js';

/** Most releases kept, and most characters of their content; beyond either the cache starts over. */
const MAX_CACHED = 10_000;
const MAX_CACHED_CHARS = 20_000_000;
/** Most releases verified per call. */
const MAX_PER_CALL = 500;

/** A check's `knownRelease` callback. */
export type KnownRelease = (id: string, content: string) => boolean;

/** Releases a check asked about that the cache could not answer, by `id + '\n' + content`. */
export type UnknownReleases = Map<string, { id: string; content: string }>;

/** Verified (true) and refused (false) releases of one gateway, by id and content. */
export class KnownReleases {
  private readonly known = new Map<string, boolean>();
  private chars = 0;
  private gateway = '';

  /** Records a release the gateway sent Privet's controller (gateway `baseUrl`). */
  remember(release: DpRelease, baseUrl: string): void {
    this.useGateway(baseUrl);
    this.set(key(release.releaseId, releaseContentText(release)), true);
  }

  /** A `knownRelease` lookup; releases not cached yet are added to `unknown`, if given. */
  lookup(unknown?: UnknownReleases): KnownRelease {
    return (id, content) => {
      const k = key(id, content);
      const answer = this.known.get(k);
      if (answer === undefined) unknown?.set(k, { id, content });
      return answer === true;
    };
  }

  /**
   * Asks the gateway about `releases` (POST /releases/verify); true when anything new was learned.
   * A failed call learns nothing (the releases stay unknown: held).
   */
  async verify(client: GatewayClient, releases: UnknownReleases): Promise<boolean> {
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
      const ok = new Set(valid.map((c) => `${c.id} ${c.digest}`));
      for (const c of claims) this.set(c.k, ok.has(`${c.id} ${c.digest}`));
      return true;
    } catch {
      return false;
    }
  }

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

function key(id: string, content: string): string {
  return `${id}\n${content}`;
}

/**
 * Core's display check of `output` as VS Code draws it (LaTeX also as Markdown) with every view
 * (`null` while unknown: a possible table of rows is held) and the releases the ledger vouches for.
 */
export function checkAsDrawnWith(
  output: NotebookOutput,
  views: readonly ViewUsed[] | null,
  knownRelease: KnownRelease,
): ReviewResult {
  const drawn = asDrawn(output);
  const result = checkOutput(drawn, { mode: 'display', viewsUsed: views ?? [], knownRelease });
  return holdWhileViewsUnknown(drawn, result, views !== null);
}
