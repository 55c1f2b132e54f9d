/**
 * Reviewer approvals by content hash: an approval covers exactly the content that was reviewed
 * (core's approvalHash: a stream part together with the earlier parts of its stream), and the
 * gateway answers which hashes are approved (POST /reviews/status). Approved hashes are cached per
 * sign-in — the gateway's base URL and the client object a sign-in made (one user's token) — and
 * experiment, so an approval one gateway (or one sign-in) answered never counts for another;
 * anything else is asked again, and a failed question counts as "not approved" (fail closed). The
 * cache answers synchronously too (`knownApprovedOutput`), so the output gate can decide without
 * waiting for the gateway. The DP releases the gateway vouches for are kept alongside
 * (`releases`). `follow` forgets everything of an earlier sign-in when the session signs in again,
 * out, or to another gateway.
 */
import { createHash } from 'node:crypto';
import { approvalHash, approvalText, type NotebookOutput } from '@privet/core';
import type { ReviewState } from '@privet/core/protocol';
import type { GatewayClient } from '../client/gateway.js';
import type { HeldOutputs } from './held.js';
import { VerifiedReleases } from '@privet/core/client/index';

/** Most hashes sent in one status call (the gateway's own limit is higher). */
const STATUS_BATCH = 100;

/** A held original whose content a reviewer approved. */
export interface ApprovedHeld {
  heldId: string;
  output: NotebookOutput;
  contentHash: string;
  reviewId: string | undefined;
}

/** What the gateway answered about approvals; `failure` holds the error that stopped the questions. */
export interface ApprovedAnswer {
  approved: Set<string>;
  failure?: { error: unknown };
}

/** The client of one sign-in: its gateway's base URL, and the object itself (one user's token). */
export type SignInClient = Pick<GatewayClient, 'baseUrl'>;

/** Cache and questions about approved content hashes. */
export class Approvals {
  private readonly approved = new Set<string>();
  /** The newest review state seen per sign-in, experiment and content hash. */
  private readonly latest = new Map<string, ReviewState | 'none'>();
  /** A number per sign-in's client (each sign-in makes its own client object). */
  private readonly signIns = new WeakMap<SignInClient, number>();
  private signInCount = 0;
  /** The sign-in `follow` was last told of (undefined: signed out). */
  private following: SignInClient | undefined;
  private verified = new VerifiedReleases();

  /** DP releases the gateway signed in to vouches for (by id and content). */
  get releases(): VerifiedReleases {
    return this.verified;
  }

  /**
   * The session now uses `client` (undefined: signed out). Unless it is the sign-in already
   * followed (an experiment change or a refresh keeps it), every approval and review state is
   * forgotten, and so are the releases when the gateway is not the same one.
   */
  follow(client: SignInClient | undefined): void {
    if (client === this.following) return;
    const sameGateway = client !== undefined && client.baseUrl === this.following?.baseUrl;
    if (!sameGateway) this.verified = new VerifiedReleases();
    this.following = client;
    this.approved.clear();
    this.latest.clear();
  }

  /** True when this content hash is known approved for this sign-in in the experiment (offline). */
  knownApproved(client: SignInClient, experiment: string, contentHash: string): boolean {
    return this.approved.has(this.key(client, experiment, contentHash));
  }

  /**
   * True when this output's exact content (after `streamContext`, the earlier parts of its
   * stream) is known approved for this sign-in in the experiment (no network).
   */
  knownApprovedOutput(
    client: SignInClient,
    experiment: string,
    output: NotebookOutput,
    streamContext: string,
  ): boolean {
    return this.knownApproved(client, experiment, contentHashNow(output, streamContext));
  }

  /** Records an approval this sign-in's gateway answered (e.g. a decision made in this window). */
  remember(client: SignInClient, experiment: string, contentHash: string): void {
    this.approved.add(this.key(client, experiment, contentHash));
  }

  /** The cache key of a content hash for this sign-in (gateway and client) and experiment. */
  private key(client: SignInClient, experiment: string, contentHash: string): string {
    let signIn = this.signIns.get(client);
    if (signIn === undefined) this.signIns.set(client, (signIn = ++this.signInCount));
    return `${client.baseUrl}\n${signIn}\n${experiment}\n${contentHash}`;
  }

  /**
   * The review state the gateway last gave this content hash for this sign-in in the experiment
   * ('none': no review; undefined: not asked since the sign-in).
   */
  knownState(
    client: SignInClient,
    experiment: string,
    contentHash: string,
  ): ReviewState | 'none' | undefined {
    return this.latest.get(this.key(client, experiment, contentHash));
  }

  /** The subset of `hashes` approved in the experiment; a gateway failure approves nothing. */
  async approvedHashes(
    client: GatewayClient,
    experiment: string,
    hashes: readonly string[],
  ): Promise<Set<string>> {
    return (await this.askApproved(client, experiment, hashes)).approved;
  }

  /**
   * The subset of `hashes` approved in the experiment, and the error, if any, that stopped the
   * questions to the gateway (hashes not asked then count as not approved: fail closed).
   */
  async askApproved(
    client: GatewayClient,
    experiment: string,
    hashes: readonly string[],
  ): Promise<ApprovedAnswer> {
    const approved = new Set(hashes.filter((h) => this.knownApproved(client, experiment, h)));
    const ask = [...new Set(hashes.filter((h) => !approved.has(h)))];
    for (let i = 0; i < ask.length; i += STATUS_BATCH) {
      let statuses: { contentHash: string; state: ReviewState | 'none' }[];
      try {
        ({ statuses } = await client.reviewStatus({
          experiment,
          contentHashes: ask.slice(i, i + STATUS_BATCH),
        }));
      } catch (error) {
        return { approved, failure: { error } };
      }
      for (const s of statuses) {
        this.latest.set(this.key(client, experiment, s.contentHash), s.state);
        if (s.state !== 'approved') continue;
        this.remember(client, experiment, s.contentHash);
        approved.add(s.contentHash);
      }
    }
    return { approved };
  }

  /** True when a reviewer approved exactly this output's content (after `streamContext`) in the experiment. */
  async isApproved(
    client: GatewayClient,
    experiment: string,
    output: NotebookOutput,
    streamContext: string,
  ): Promise<boolean> {
    const hash = await approvalHash(output, streamContext);
    return (await this.approvedHashes(client, experiment, [hash])).has(hash);
  }

  /**
   * The held originals whose content is now approved in the experiment. Rejects with the
   * gateway's error when it could not be asked (nothing counts as approved then), so a caller
   * that answers the user can say the check failed rather than that nothing is approved.
   */
  async approvedHeld(
    client: GatewayClient,
    experiment: string,
    held: HeldOutputs,
  ): Promise<ApprovedHeld[]> {
    const entries = await Promise.all(
      held.entries().map(async ([heldId, h]) => ({
        heldId,
        held: h,
        contentHash:
          h.submitted?.contentHash ?? (await approvalHash(h.output, h.streamContext ?? '')),
      })),
    );
    if (entries.length === 0) return [];
    const { approved, failure } = await this.askApproved(
      client,
      experiment,
      entries.map((e) => e.contentHash),
    );
    // Keep each submitted original's latest state (rejected, changes requested…) for the cell.
    for (const e of entries) {
      const state = this.latest.get(this.key(client, experiment, e.contentHash));
      if (e.held.submitted && state && state !== 'none') held.noteReviewState(e.heldId, state);
    }
    if (failure) throw failure.error;
    return entries
      .filter((e) => approved.has(e.contentHash))
      .map((e) => ({
        heldId: e.heldId,
        output: e.held.output,
        contentHash: e.contentHash,
        reviewId: e.held.submitted?.reviewId,
      }));
  }
}

/** approvalHash computed synchronously (Node's SHA-256 of the same canonical text). */
export function contentHashNow(output: NotebookOutput, streamContext: string): string {
  return createHash('sha256').update(approvalText(output, streamContext), 'utf8').digest('hex');
}
