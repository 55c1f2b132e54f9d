/**
 * Outputs withheld from notebooks, kept in memory only (never on disk or in the notebook): until
 * the window closes, or until a reviewer's approval lets the original be restored in its cell.
 * Also the exact placeholders Privet wrote for them (content and metadata), which the output gate
 * leaves as they are: anything else carrying Privet's MIME types came from someone else.
 * Listeners hear when an original is sent for review or its review state changes.
 */
import { randomUUID } from 'node:crypto';
import { outputContentText, type NotebookOutput, type ReviewResult } from '@privet/core';
import { canonicalJson } from '@privet/core/record/canonical';
import type { JsonValue } from '@privet/core/record/types';
import type { ReviewState } from '@privet/core/protocol';

/** One withheld original with what the reviewer needs to know. */
export interface Held {
  output: NotebookOutput;
  review: ReviewResult;
  cellSource: string;
  viewsUsed: string[];
  /** For a stream part: the earlier parts of its stream in the cell, which its check read first. */
  streamContext?: string;
  /** Set once the original went to the gateway's review queue; `state` as last seen. */
  submitted?: { reviewId: string; contentHash: string; state?: ReviewState };
}

/** The in-memory store of withheld originals. */
export class HeldOutputs {
  private readonly byId = new Map<string, Held>();
  /** Keys (writtenKey) of the placeholders Privet wrote, with their held ids. */
  private readonly placeholders = new Map<string, string>();
  private readonly reviewListeners = new Set<(id: string) => void>();

  /** Keeps an original and returns its id. */
  hold(held: Held): string {
    const id = randomUUID();
    this.byId.set(id, held);
    return id;
  }

  /** The original with this id, if still held. */
  get(id: string): Held | undefined {
    return this.byId.get(id);
  }

  /** Records that the original went to the review queue as request `reviewId`. */
  markSubmitted(id: string, reviewId: string, contentHash: string): void {
    const held = this.byId.get(id);
    if (!held) return;
    held.submitted = { reviewId, contentHash };
    this.reviewChanged(id);
  }

  /** Records the review state last seen for submitted original `id`; listeners hear a change. */
  noteReviewState(id: string, state: ReviewState): void {
    const submitted = this.byId.get(id)?.submitted;
    if (!submitted || submitted.state === state) return;
    submitted.state = state;
    this.reviewChanged(id);
  }

  /** Calls `listener` with the held id whenever an original is submitted or its review state changes. */
  onDidChangeReview(listener: (id: string) => void): { dispose(): void } {
    this.reviewListeners.add(listener);
    return { dispose: () => this.reviewListeners.delete(listener) };
  }

  /** Tells the listeners that original `id`'s review changed (one failing does not stop the rest). */
  private reviewChanged(id: string): void {
    for (const listener of [...this.reviewListeners]) {
      try {
        listener(id);
      } catch (error) {
        console.warn('Privet: a review state listener failed.', error);
      }
    }
  }

  /** Every held original with its id. */
  entries(): [string, Held][] {
    return [...this.byId.entries()];
  }

  /** Records the placeholder Privet wrote for held original `id` (exactly this output). */
  notePlaceholder(id: string, placeholder: NotebookOutput): void {
    this.placeholders.set(writtenKey(placeholder), id);
  }

  /** True when `output` is exactly a placeholder Privet wrote (content and metadata). */
  isPlaceholder(output: NotebookOutput): boolean {
    try {
      return this.placeholders.has(writtenKey(output));
    } catch {
      return false; // content that has no canonical form (too deep) was not written by Privet
    }
  }

  /** The held original a placeholder Privet wrote stands for, if still held. */
  originalOf(placeholder: NotebookOutput): Held | undefined {
    try {
      const id = this.placeholders.get(writtenKey(placeholder));
      return id === undefined ? undefined : this.byId.get(id);
    } catch {
      return undefined; // not a placeholder Privet wrote
    }
  }

  /** Drops an original (after it was restored, or when its cell is gone). */
  drop(id: string): void {
    this.byId.delete(id);
    for (const [k, heldId] of this.placeholders) if (heldId === id) this.placeholders.delete(k);
  }
}

/** An output's visible content and its metadata, canonical: what identifies a written output. */
function writtenKey(output: NotebookOutput): string {
  const metadata =
    output.output_type === 'stream' || output.output_type === 'error'
      ? {}
      : (output.metadata ?? {});
  return `${outputContentText(output)}\n${canonicalJson(JSON.parse(JSON.stringify(metadata)) as JsonValue)}`;
}
