/**
 * Reviewer approvals by content hash: an approval covers exactly the content that was reviewed
 * (core's approvalHash: a stream part together with the earlier parts of its stream), and the gateway answers which hashes are approved (POST
 * /reviews/status). Approved hashes are cached per experiment; anything else is asked again, and a
 * failed question counts as "not approved" (fail closed). The cache answers synchronously too
 * (`knownApprovedOutput`), so the output gate can decide without waiting for the gateway. The DP
 * releases the gateway vouches for are kept alongside (`releases`).
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

/** Cache and questions about approved content hashes. */
export class Approvals {
  private readonly approved = new Set<string>();
  /** The newest review state seen per experiment and content hash. */
  private readonly latest = new Map<string, ReviewState | 'none'>();
  /** DP releases the gateway vouches for (by id and content). */
  readonly releases = new VerifiedReleases();

  /** True when this content hash is known approved in the experiment (no network). */
  knownApproved(experiment: string, contentHash: string): boolean {
    return this.approved.has(key(experiment, contentHash));
  }

  /**
   * True when this output's exact content (after `streamContext`, the earlier parts of its
   * stream) is known approved in the experiment (no network).
   */
  knownApprovedOutput(experiment: string, output: NotebookOutput, streamContext: string): boolean {
    return this.knownApproved(experiment, contentHashNow(output, streamContext));
  }

  /** Records an approval seen elsewhere (e.g. a decision made in this window). */
  remember(experiment: string, contentHash: string): void {
    this.approved.add(key(experiment, contentHash));
  }

  /** The subset of `hashes` approved in the experiment; a gateway failure approves nothing. */
  async approvedHashes(
    client: GatewayClient,
    experiment: string,
    hashes: readonly string[],
  ): Promise<Set<string>> {
    const result = new Set(hashes.filter((h) => this.knownApproved(experiment, h)));
    const ask = [...new Set(hashes.filter((h) => !result.has(h)))];
    for (let i = 0; i < ask.length; i += STATUS_BATCH) {
      let statuses: { contentHash: string; state: ReviewState | 'none' }[];
      try {
        ({ statuses } = await client.reviewStatus({
          experiment,
          contentHashes: ask.slice(i, i + STATUS_BATCH),
        }));
      } catch {
        break;
      }
      for (const s of statuses) {
        this.latest.set(key(experiment, s.contentHash), s.state);
        if (s.state !== 'approved') continue;
        this.remember(experiment, s.contentHash);
        result.add(s.contentHash);
      }
    }
    return result;
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

  /** The held originals whose content is now approved in the experiment. */
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
    const approved = await this.approvedHashes(
      client,
      experiment,
      entries.map((e) => e.contentHash),
    );
    // Keep each submitted original's latest state (rejected, changes requested…) for the cell.
    for (const e of entries) {
      const state = this.latest.get(key(experiment, e.contentHash));
      if (e.held.submitted && state && state !== 'none') e.held.submitted.state = state;
    }
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

function key(experiment: string, contentHash: string): string {
  return `${experiment}\n${contentHash}`;
}
