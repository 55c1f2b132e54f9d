/**
 * Every view the signed-in user may see, as the review engine's row-level context. Why all of
 * them: another kernel's cell can hold a view under any variable name, so `df.head()` of a masked
 * view is only recognised with every view's quasi-identifiers (as in the JupyterLab gate). Loaded
 * on every session change (sign-in, experiment, gateway); a failed load is retried after
 * `retryFirstMs`, doubling up to `retryMaxMs`, until it succeeds or the session changes, and the
 * user is told once per failure why outputs that may be tables stay held (a review would not
 * release them) and how to fix it. Unknown (null) while signed out, loading or failing, when
 * callers fail closed. `whenKnown` waits, bounded, for the session's start-up token restore and
 * the load after it.
 */
import * as vscode from 'vscode';
import { viewUsedOf, type ViewUsed } from '@privet/core';
import { GatewayError } from '../client/gateway.js';
import type { Session } from '../session.js';

/** When a failed load is retried (tests pass small delays). */
export interface ViewsRetry {
  /** Delay before the first retry (doubled after each further failure). */
  retryFirstMs: number;
  /** Longest delay between two retries. */
  retryMaxMs: number;
}

/** Retries after 2 s, 4 s, 8 s, … and then every 60 s. */
export const VIEWS_RETRY: ViewsRetry = { retryFirstMs: 2_000, retryMaxMs: 60_000 };

/** The button of the "views could not be loaded" warning that loads them again now. */
export const RETRY_VIEWS = 'Retry Now';

/** The warning shown when the views could not be loaded (what happened, how to fix it). */
export function viewsFailedText(error: unknown): string {
  const detail = error instanceof Error ? error.message : String(error);
  const fix =
    error instanceof GatewayError && error.fix.trim() !== ''
      ? error.fix.trim().replace(/[.\s]+$/, '')
      : 'check that the Privet gateway is running and reachable (setting privet.gatewayUrl)';
  return `Privet could not load the gateway's list of views (${detail}), so outputs that may be tables stay held, and requesting a review would not release them. Fix: ${fix}. Privet tries again on its own and shows them once the views load.`;
}

/** The gateway's views as row-level context, reloaded on every session change and retried. */
export class GatewayViews implements vscode.Disposable {
  private views: ViewUsed[] | null = null;
  private loading: Promise<void> | null = null;
  private readonly changed = new vscode.EventEmitter<void>();
  /**
   * Fires when the views became known. (Becoming unknown needs no event: a check without views
   * can only hold less, and the renderer fails closed on its own meanwhile.)
   */
  readonly onDidChange = this.changed.event;
  private readonly subscription: vscode.Disposable;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private retryDelay: number;
  /** Why the last load failed (null: loaded, loading or signed out); told once per failure run. */
  private failure: unknown = null;
  private disposed = false;

  /** Starts following the session (and loads now when already signed in). */
  constructor(
    private readonly session: Session,
    private readonly retry: ViewsRetry = VIEWS_RETRY,
  ) {
    this.retryDelay = retry.retryFirstMs;
    this.subscription = session.onDidChange(() => void this.reload());
    void this.reload();
  }

  /** The views, or null while unknown (signed out, loading, or the gateway failed). */
  current(): ViewUsed[] | null {
    return this.views;
  }

  /** Why the views are unknown after a failed load (what happened and how to fix it), or null. */
  problem(): string | null {
    return this.views === null && this.failure !== null ? viewsFailedText(this.failure) : null;
  }

  /**
   * The views once loaded, waiting at most `timeoutMs` in all for the session's start-up token
   * restore and then for a load in progress (else null: signed out, still loading, or failed).
   */
  async whenKnown(timeoutMs: number): Promise<ViewUsed[] | null> {
    if (this.views) return this.views;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)));
    try {
      // At start the views load only once the stored token is restored (a session change).
      if (!this.loading) await Promise.race([this.session.whenRestored(), timeout]);
      if (this.views || !this.loading) return this.views;
      await Promise.race([this.loading, timeout]);
      return this.views;
    } finally {
      clearTimeout(timer);
    }
  }

  /** A session change: forgets the views, stops retrying and loads them for the new session. */
  private reload(): Promise<void> {
    this.stopRetry();
    this.retryDelay = this.retry.retryFirstMs;
    this.failure = null;
    this.views = null;
    return this.load();
  }

  /** Loads the views of the signed-in session (nothing when signed out). */
  private load(): Promise<void> {
    const client = this.session.signedIn?.client;
    if (!client || this.disposed) {
      this.loading = null;
      return Promise.resolve();
    }
    const loading = client
      .listViews()
      .then(({ views }) => {
        if (this.loading !== loading) return; // a newer session change took over
        this.views = views.map(viewUsedOf);
        this.failure = null;
        this.retryDelay = this.retry.retryFirstMs;
        this.changed.fire();
      })
      .catch((error: unknown) => {
        if (this.loading === loading) this.failed(error);
      })
      .finally(() => {
        if (this.loading === loading) this.loading = null;
      });
    this.loading = loading;
    return loading;
  }

  /** Tells the user (once per failure run) and retries after the next delay. */
  private failed(error: unknown): void {
    const delay = this.retryDelay;
    this.retryDelay = Math.min(delay * 2, this.retry.retryMaxMs);
    console.warn(
      `Privet: could not list views for the output check; trying again in ${Math.round(delay / 1000)} s.`,
      error,
    );
    const first = this.failure === null;
    this.failure = error;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      void this.load();
    }, delay);
    if (first) void this.tell(error);
  }

  /** Shows why the views are unknown; "Retry Now" loads them again at once. */
  private async tell(error: unknown): Promise<void> {
    const picked = await vscode.window.showWarningMessage(viewsFailedText(error), RETRY_VIEWS);
    if (picked !== RETRY_VIEWS || this.disposed || this.views !== null || this.loading) return;
    this.stopRetry();
    await this.load();
  }

  private stopRetry(): void {
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
  }

  /** Stops following the session and retrying. */
  dispose(): void {
    this.disposed = true;
    this.stopRetry();
    this.subscription.dispose();
    this.changed.dispose();
  }
}
