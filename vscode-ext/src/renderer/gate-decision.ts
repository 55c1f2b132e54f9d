/**
 * The gate renderer's decision for one output item, without the DOM: check the item as VS Code
 * would draw it. The webview does not know the gateway's views, so an item that passes but may be
 * a table of rows (`viewsUnknownFinding`) is drawn only once the extension host, which checks it
 * with every view's quasi-identifiers, confirms it; so is a stream part (the host checks it after
 * the earlier parts of its stream in the cell); a held item is drawn only when the host
 * confirms it passes there or a reviewer approved that output. With messaging, every other item
 * waits for the host too: signed in with an experiment, the host asks the gateway's raw-value
 * check about it first, so a value from the raw identifier columns is never drawn, not even until
 * the host swaps the output. Answers come by renderer messaging; no answer in time means "no"
 * (fail closed); without messaging (no host to ask) an item that passes here is drawn. A "no" may
 * say the review state of the held content once it was sent for review (held-review.ts), which
 * the held item's notice then shows.
 */
import {
  checkOutput,
  holdWhileViewsUnknown,
  unreadableResult,
  type ReviewResult,
} from '@privet/core/review/index';
import { isApprovalAnswer, isRecheckNotice, type ApprovalQuery } from '../shared/gate-messages.js';
import { asDrawn, outputOfItem } from '../shared/output-items.js';
import { answerReviewState, type HeldReviewState } from './held-review.js';

/** An output item as the decision needs it (VS Code's renderer OutputItem fits). */
export interface ItemLike {
  readonly mime: string;
  text(): string;
}

/**
 * Draw the item, or hold it with the review's findings; `tableUnconfirmed` when nothing here
 * flagged it and it waits only for the host's check of a possible table of rows;
 * `streamUnconfirmed` when nothing here flagged a stream part and it waits only for the host's
 * check after the earlier parts of its stream; `hostUnconfirmed` when nothing here flagged it and
 * the host did not confirm it (the gateway's raw-value check found a value or did not answer);
 * `reviewState` when the host says the held content was sent for review (only a known state).
 */
export type ItemDecision =
  | { show: true }
  | {
      show: false;
      review: ReviewResult;
      tableUnconfirmed: boolean;
      streamUnconfirmed: boolean;
      hostUnconfirmed: boolean;
      reviewState?: HeldReviewState;
    };

/** The host's answer about an item: drawn or not, and the held content's review state, if sent. */
export interface HostAnswer {
  approved: boolean;
  review?: HeldReviewState;
}

/**
 * Checks one item; an item held here, one that may be a table of rows, or any stream part (a
 * kernel's stderr write splits a stream into outputs, and a part that passes alone can complete a
 * small count with the parts before it, which only the host sees) is shown only if
 * `hostShows(mime, text)` confirms it; with `confirmAll` (the host can be asked), so is every
 * other item (the host adds the gateway's raw-value check). A held decision carries the review
 * state the host's answer gave (a HostAnswer; a plain boolean gives none).
 */
export async function decideItem(
  item: ItemLike,
  hostShows: (mime: string, text: string) => Promise<boolean | HostAnswer>,
  confirmAll = false,
): Promise<ItemDecision> {
  let review: ReviewResult;
  let text = '';
  let tableUnconfirmed = false;
  let stream = false;
  try {
    text = item.text();
    const raw = outputOfItem(item.mime, text);
    stream = raw.output_type === 'stream';
    const output = asDrawn(raw);
    const local = checkOutput(output, { mode: 'display' });
    // Without the views here, a possible table of rows waits for the host's check.
    review = holdWhileViewsUnknown(output, local, false);
    tableUnconfirmed = local.verdict === 'pass' && review.verdict !== 'pass';
  } catch {
    review = unreadableResult();
  }
  if (review.verdict === 'pass' && !stream && !confirmAll) return { show: true };
  const answer = await hostShows(item.mime, text);
  if (typeof answer === 'boolean' ? answer : answer.approved) return { show: true };
  const streamUnconfirmed = stream && review.verdict === 'pass';
  const hostUnconfirmed = review.verdict === 'pass' && !stream;
  const reviewState = typeof answer === 'boolean' ? undefined : answer.review;
  return {
    show: false,
    review,
    tableUnconfirmed,
    streamUnconfirmed,
    hostUnconfirmed,
    ...(reviewState ? { reviewState } : {}),
  };
}

/** The messaging half of a renderer context (both optional: messaging may be off). */
export interface MessagingLike {
  postMessage?(message: unknown): void;
  onDidReceiveMessage?: (listener: (message: unknown) => void) => { dispose(): void };
}

/** Most questions remembered as answered "no" for want of time (see ApprovalChannel). */
const MAX_TIMED_OUT = 1000;

/**
 * Asks the extension host about approvals and matches its answers to the questions; passes on the
 * host's notices that what it checks with changed. A "yes" that comes after its question was given
 * up (a busy host) counts as such a notice too, so the item held meanwhile is drawn after all.
 */
export class ApprovalChannel {
  private next = 1;
  private readonly waiting = new Map<number, (answer: HostAnswer) => void>();
  private readonly timedOut = new Set<number>();
  private readonly recheckListeners = new Set<() => void>();

  /** Listens for answers on `messaging`; unanswered questions count as "no" after `timeoutMs`. */
  constructor(
    private readonly messaging: MessagingLike,
    private readonly timeoutMs = 5000,
  ) {
    messaging.onDidReceiveMessage?.((message) => {
      if (isRecheckNotice(message)) this.notifyRecheck();
      if (!isApprovalAnswer(message)) return;
      const waiting = this.waiting.get(message.requestId);
      const review = answerReviewState(message);
      if (waiting) waiting({ approved: message.approved, ...(review ? { review } : {}) });
      else if (this.timedOut.delete(message.requestId) && message.approved) this.notifyRecheck();
    });
  }

  /** Tells every recheck listener to ask again about the items it holds. */
  private notifyRecheck(): void {
    for (const listener of [...this.recheckListeners]) listener();
  }

  /** Remembers a question given up for want of time, so a late "yes" to it leads to a recheck. */
  private giveUp(requestId: number): void {
    this.timedOut.add(requestId);
    if (this.timedOut.size > MAX_TIMED_OUT) {
      const oldest = this.timedOut.values().next().value;
      if (oldest !== undefined) this.timedOut.delete(oldest);
    }
  }

  /** Calls `listener` whenever the host says held items should be asked about again. */
  onRecheck(listener: () => void): { dispose(): void } {
    this.recheckListeners.add(listener);
    return { dispose: () => this.recheckListeners.delete(listener) };
  }

  /** Whether the host can be asked (the renderer has messaging). */
  get canAsk(): boolean {
    return (
      typeof this.messaging.postMessage === 'function' &&
      typeof this.messaging.onDidReceiveMessage === 'function'
    );
  }

  /** True once the host confirms the item's output was approved; false without messaging or in time. */
  async ask(mime: string, text: string): Promise<boolean> {
    return (await this.answer(mime, text)).approved;
  }

  /**
   * The host's answer about the item: approved (false without messaging or in time) and, for a
   * held item whose content was sent for review, its review state (only a known one).
   */
  answer(mime: string, text: string): Promise<HostAnswer> {
    const post = this.messaging.postMessage?.bind(this.messaging);
    if (!post || !this.messaging.onDidReceiveMessage) return Promise.resolve({ approved: false });
    const requestId = this.next++;
    return new Promise<HostAnswer>((resolve) => {
      const done = (answer: HostAnswer): void => {
        clearTimeout(timer);
        this.waiting.delete(requestId);
        resolve(answer);
      };
      const timer = setTimeout(() => {
        this.giveUp(requestId);
        done({ approved: false });
      }, this.timeoutMs);
      this.waiting.set(requestId, done);
      const query: ApprovalQuery = { type: 'privet.approval?', requestId, mime, text };
      post(query);
    });
  }
}
