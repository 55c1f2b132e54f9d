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
 * with undefined once `timeoutMs` has passed without one.
 */
export function waitForValue<T>(
  find: () => T | undefined,
  onChange: OnChange,
  timeoutMs: number,
): Promise<T | undefined> {
  const now = find();
  if (now !== undefined || timeoutMs <= 0) return Promise.resolve(now);
  return new Promise((resolve) => {
    const finish = (value: T | undefined): void => {
      clearTimeout(timer);
      subscription.dispose();
      resolve(value);
    };
    const timer = setTimeout(() => finish(undefined), timeoutMs);
    const subscription = onChange(() => {
      const value = find();
      if (value !== undefined) finish(value);
    });
  });
}
