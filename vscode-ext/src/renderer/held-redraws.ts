/**
 * Items a renderer drew held, with how to draw each again: when the extension host says what it
 * checks with changed (a RecheckNotice), each is checked and drawn anew, so an output held at
 * start-up only because the host could not answer yet is drawn once it can. A notice that arrives
 * while an item's decision is still out counts too: if that decision holds the item, it is drawn
 * again at once. Each drawing of an item aborts the one before it (a redraw never lands over a
 * newer drawing VS Code asked for).
 */

/** Held items and their redraws, with one abort signal per item's latest drawing. */
export class HeldRedraws {
  /** How to draw each item as VS Code last asked (its newest content and element). */
  private readonly latest = new Map<string, () => Promise<void>>();
  /** Items drawn held. */
  private readonly heldIds = new Set<string>();
  /** Retries scheduled so far per item (retryLater), and each item's pending retry. */
  private readonly retries = new Map<string, number>();
  private readonly retryTimers = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly drawings = new Map<string, AbortController>();
  /** Rechecks so far, and the count when each item's latest drawing began. */
  private rechecks = 0;
  private readonly begunAt = new Map<string, number>();

  /**
   * VS Code asks to draw item `id` (new or appended content): `redraw` draws this drawing again.
   * Redraws of a held item always draw what VS Code asked for last, never an earlier content
   * (a stream's first half redrawn over the whole line would hold it); its retries start afresh.
   */
  asked(id: string, redraw: () => Promise<void>): void {
    this.latest.set(id, redraw);
    this.stopRetries(id);
  }

  /**
   * Starts a drawing of item `id`: aborts the previous one; the signal returned is aborted by the
   * next drawing, by `forget(id)`, or when `outer` (VS Code's signal, if any) is.
   */
  begin(id: string, outer?: AbortSignal): AbortSignal {
    this.drawings.get(id)?.abort();
    const mine = new AbortController();
    this.drawings.set(id, mine);
    this.begunAt.set(id, this.rechecks);
    if (outer?.aborted) mine.abort();
    else outer?.addEventListener('abort', () => mine.abort(), { once: true });
    return mine.signal;
  }

  /**
   * Remembers that item `id` is drawn held (redrawn as VS Code last asked, see `asked`); draws it
   * again at once when a recheck came while its decision was out (the answer may predate what
   * changed).
   */
  hold(id: string): void {
    this.heldIds.add(id);
    if ((this.begunAt.get(id) ?? this.rechecks) < this.rechecks) void this.redraw(id);
  }

  /** Draws held item `id` again as VS Code last asked; nothing if it is not held. */
  private redraw(id: string): Promise<void> {
    if (!this.heldIds.has(id)) return Promise.resolve();
    return this.latest.get(id)?.() ?? Promise.resolve();
  }

  /**
   * Draws held item `id` again after the next of `delaysMs` (counted per item, so at most that
   * many times): for an item held only because the host has not confirmed it yet, in case the
   * notice to ask again never comes (a message lost to a busy host). A newer drawing of the item
   * redraws with its own state; one shown or forgotten is not redrawn.
   */
  retryLater(id: string, delaysMs: readonly number[]): void {
    const tries = this.retries.get(id) ?? 0;
    const wait = delaysMs[tries];
    if (wait === undefined) return;
    this.retries.set(id, tries + 1);
    clearTimeout(this.retryTimers.get(id));
    const timer = setTimeout(() => {
      if (this.retryTimers.get(id) === timer) this.retryTimers.delete(id);
      void this.redraw(id);
    }, wait);
    this.retryTimers.set(id, timer);
  }

  /** Item `id` is drawn (not held): nothing to redraw, nor any closure over its output to keep. */
  shown(id: string): void {
    this.heldIds.delete(id);
    this.latest.delete(id);
    this.stopRetries(id);
  }

  /** Cancels item `id`'s pending retry and forgets its count. */
  private stopRetries(id: string): void {
    clearTimeout(this.retryTimers.get(id));
    this.retryTimers.delete(id);
    this.retries.delete(id);
  }

  /** Forgets item `id` (disposed by VS Code), or every item; aborts their drawings. */
  forget(id?: string): void {
    const ids = id === undefined ? [...this.drawings.keys()] : [id];
    for (const i of ids) {
      this.drawings.get(i)?.abort();
      this.drawings.delete(i);
      this.begunAt.delete(i);
    }
    for (const i of id === undefined ? [...this.retryTimers.keys()] : [id]) this.stopRetries(i);
    if (id === undefined) {
      this.heldIds.clear();
      this.latest.clear();
    } else {
      this.heldIds.delete(id);
      this.latest.delete(id);
    }
  }

  /** Draws every held item again (each is checked anew); resolves when all are drawn. */
  async redrawAll(): Promise<void> {
    this.rechecks++;
    await Promise.allSettled([...this.heldIds].map((id) => this.redraw(id)));
  }

  /** How many items are drawn held. */
  get size(): number {
    return this.heldIds.size;
  }
}
