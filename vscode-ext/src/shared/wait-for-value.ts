/**
 * Waiting, bounded, for something another part of VS Code delivers separately: an output the gate
 * renderer asks about can reach the webview before this extension host's copy of the notebook
 * holds it (the two are updated by separate messages), so the host looks again on every change
 * instead of answering from what it cannot see yet. No vscode import: tested directly.
 */

/** A subscription to change events (vscode.Event's shape). */
export type OnChange = (listener: () => void) => { dispose(): void };

/**
 * Calls `find` now and after every change until it returns a value; resolves with that value, or
 * with undefined once `timeoutMs` has passed without one or `signal` is aborted.
 */
export function waitForValue<T>(
  find: () => T | undefined,
  onChange: OnChange,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<T | undefined> {
  const now = find();
  if (now !== undefined || timeoutMs <= 0 || signal?.aborted) return Promise.resolve(now);
  return new Promise((resolve) => {
    const finish = (value: T | undefined): void => {
      clearTimeout(timer);
      subscription.dispose();
      signal?.removeEventListener('abort', stop);
      resolve(value);
    };
    const stop = (): void => finish(undefined);
    const timer = setTimeout(stop, timeoutMs);
    const subscription = onChange(() => {
      const value = find();
      if (value !== undefined) finish(value);
    });
    signal?.addEventListener('abort', stop, { once: true });
  });
}

/** Resolves with what `work` resolves to, or with undefined once `timeoutMs` has passed first. */
export async function settleWithin<T>(work: Promise<T>, timeoutMs: number): Promise<T | undefined> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), Math.max(0, timeoutMs));
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Watches, once per key and each for a bounded time, for things that were not there when asked
 * (a stream part the host could not place in time, so the renderer holds it), and calls
 * `onFound` when one appears — so the asker can be told to ask again instead of holding for good.
 */
export class LateWatches {
  private readonly watching = new Map<string, AbortController>();

  /** Starts watching for `key` (no-op if already watched): `found` on every change, up to `timeoutMs`. */
  watch(
    key: string,
    found: () => boolean,
    onChange: OnChange,
    timeoutMs: number,
    onFound: () => void,
  ): void {
    if (this.watching.has(key)) return;
    const stop = new AbortController();
    this.watching.set(key, stop);
    void waitForValue(() => (found() ? true : undefined), onChange, timeoutMs, stop.signal).then(
      (value) => {
        if (this.watching.get(key) === stop) this.watching.delete(key);
        if (value && !stop.signal.aborted) onFound();
      },
    );
  }

  /** How many keys are watched. */
  get size(): number {
    return this.watching.size;
  }

  /** Stops every watch (none calls `onFound` afterwards). */
  dispose(): void {
    for (const stop of this.watching.values()) stop.abort();
    this.watching.clear();
  }
}
