/**
 * Why: a drawn widget's states can change thousands of times a second (a progress bar moved in a
 * loop), and each change needs a raw-value verdict before it is painted: one call per change would
 * pass the gateway's per-user allowance (1,200 calls a minute, refilled at 20 a second) within a
 * second, after which the output is held as "could not be checked". This gives one output's calls
 * turns: one at a time, starts at least `spacingMs` apart. A caller that a newer one replaced
 * while it waited gives its turn up. (A stream's growing content needs no turns of its own: core's
 * `RawValueChecks.checkLatest` drops a content a newer one replaced before its call goes out.)
 */

/** One output's gateway calls, one at a time and spaced. */
export class CallTurns {
  private tail: Promise<void> = Promise.resolve();
  private lastStart = Number.NEGATIVE_INFINITY;

  /** `spacingMs`: least time between the starts of two calls; `now`: the clock (tests pass one). */
  constructor(
    private readonly spacingMs: number,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /**
   * Waits for the caller's turn. Returns the function to call once its call is answered, or null
   * when `wanted` turned false meanwhile (its turn is given up at once).
   */
  async turn(wanted: () => boolean): Promise<(() => void) | null> {
    const previous = this.tail;
    let release!: () => void;
    this.tail = new Promise<void>((resolve) => (release = resolve));
    await previous;
    if (!wanted()) return (release(), null);
    const wait = this.lastStart + this.spacingMs - this.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    if (!wanted()) return (release(), null);
    this.lastStart = this.now();
    return release;
  }
}
