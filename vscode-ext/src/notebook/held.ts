/**
 * Outputs withheld from notebooks, kept in memory only (never on disk or in the notebook): until
 * the window closes, or until a reviewer's approval lets the original be restored in its cell.
 */
import { randomUUID } from 'node:crypto';
import type { NotebookOutput, ReviewResult } from '@privet/core';
import type { ReviewState } from '@privet/core/protocol';

/** One withheld original with what the reviewer needs to know. */
export interface Held {
  output: NotebookOutput;
  review: ReviewResult;
  cellSource: string;
  viewsUsed: string[];
  /** Set once the original went to the gateway's review queue; `state` as last seen. */
  submitted?: { reviewId: string; contentHash: string; state?: ReviewState };
}

/** The in-memory store of withheld originals. */
export class HeldOutputs {
  private readonly byId = new Map<string, Held>();

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
    if (held) held.submitted = { reviewId, contentHash };
  }

  /** Every held original with its id. */
  entries(): [string, Held][] {
    return [...this.byId.entries()];
  }

  /** Drops an original (after it was restored, or when its cell is gone). */
  drop(id: string): void {
    this.byId.delete(id);
  }
}
