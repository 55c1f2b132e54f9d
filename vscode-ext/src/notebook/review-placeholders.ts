/**
 * Keeps the placeholders Privet wrote in step with their originals' reviews: once "Request
 * Review" sent an original, and whenever the gateway's review state of it changes (pending,
 * rejected, changes requested), its placeholder is written again with that state (outputs.ts), so
 * its second line says the output waits for a reviewer, was rejected, or needs changes, instead of
 * offering "Request Review". An approved original is left to the restorer, which puts it back.
 * The new placeholder is noted as Privet's own (HeldOutputs.notePlaceholder) before it goes in,
 * so the output gate leaves it as it is.
 */
import type * as vscode from 'vscode';
import type { NotebookOutput } from '@privet/core';
import { heldReviewState, type HeldReviewState } from '../renderer/held-review.js';
import type { Held, HeldOutputs } from './held.js';
import { placeholderOutput } from './outputs.js';

/** Replaces every placeholder of a held id with `output`; resolves to how many (restore.ts). */
export type ReplacePlaceholder = (heldId: string, output: NotebookOutput) => Promise<number>;

/** The review state a held original's placeholder shows: undefined until it is sent for review. */
export function sentReviewState(held: Held): HeldReviewState | undefined {
  return held.submitted ? heldReviewState(held.submitted.state) : undefined;
}

/** Rewrites each sent original's placeholder when its review state changes. */
export class ReviewPlaceholders implements vscode.Disposable {
  /** The review state each held id's placeholder was last written with. */
  private readonly written = new Map<string, HeldReviewState>();
  /** Rewrites run one after the other (two edits of one cell in flight could undo each other). */
  private queue: Promise<void> = Promise.resolve();
  private readonly subscription: { dispose(): void };

  /** Starts following the reviews of `held`'s originals; `replace` puts a placeholder in. */
  constructor(
    private readonly held: HeldOutputs,
    private readonly replace: ReplacePlaceholder,
  ) {
    this.subscription = held.onDidChangeReview((id) => {
      this.queue = this.queue.then(() => this.rewrite(id)).catch(() => undefined);
    });
  }

  /** Resolves once every rewrite asked for so far is done (for callers that wait, and tests). */
  settled(): Promise<void> {
    return this.queue;
  }

  /** Writes held id `id`'s placeholder again with its review state, unless it already shows it. */
  private async rewrite(id: string): Promise<void> {
    const held = this.held.get(id);
    const state = held && sentReviewState(held);
    if (!held || !state) {
      this.written.delete(id); // restored or dropped: nothing to write
      return;
    }
    // Approved: the restorer puts the original back (a rewrite racing it could undo that).
    if (held.submitted?.state === 'approved' || this.written.get(id) === state) return;
    const placeholder = placeholderOutput(held.review, id, state);
    this.held.notePlaceholder(id, placeholder);
    if ((await this.replace(id, placeholder)) > 0) this.written.set(id, state);
  }

  /** Stops following. */
  dispose(): void {
    this.subscription.dispose();
    this.written.clear();
  }
}
