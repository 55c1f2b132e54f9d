/**
 * Every view the signed-in user may see, as the review engine's row-level context. Why all of
 * them: another kernel's cell can hold a view under any variable name, so `df.head()` of a masked
 * view is only recognised with every view's quasi-identifiers (as in the JupyterLab gate). Loaded
 * on every session change (sign-in, experiment, gateway) and when a check finds the list older
 * than 30 s, by core's ViewList, which retries a failed load after 2 s, 4 s, … at most every 60 s until it succeeds or the session changes; the
 * user is told once per failure why outputs that may be tables stay held (a review would not
 * release them) and how to fix it. Unknown (null) while signed out, loading or failing, when
 * callers fail closed. `whenKnown` waits, bounded, for the session's start-up token restore and
 * the load after it.
 */
import * as vscode from 'vscode';
import { viewUsedOf, type ViewUsed } from '@privet/core';
import { ViewList, VIEWS_TIMING, type ViewsProblem } from '@privet/core/client/index';
import type { Session } from '../session.js';

/** The button of the "views could not be loaded" warning that loads them again now. */
export const RETRY_VIEWS = 'Retry Now';

/** The fix of a failed load whose error brings none: this host's gateway setting. */
const HOST_FIX =
  'check that the Privet gateway is running and reachable (setting privet.gatewayUrl)';

/** The warning shown when the views could not be loaded (what happened, how to fix it). */
export function viewsFailedText(problem: ViewsProblem): string {
  return `Privet: ${problem.reason}, so outputs that may be tables stay held, and requesting a review would not release them. Fix: ${problem.fix}.`;
}

/** The gateway's views as row-level context, reloaded on every session change and retried. */
export class GatewayViews implements vscode.Disposable {
  private readonly list: ViewList;
  private views: ViewUsed[] | null = null;
  private readonly changed = new vscode.EventEmitter<void>();
  /**
   * Fires when the views became known. (Becoming unknown needs no event: a check without views
   * can only hold less, and the renderer fails closed on its own meanwhile.)
   */
  readonly onDidChange = this.changed.event;
  private readonly subscription: vscode.Disposable;
  /** The failure run already told to the user (null: none). */
  private told: ViewsProblem | null = null;
  private disposed = false;

  /** Starts following the session (and loads now when already signed in). */
  constructor(private readonly session: Session) {
    this.list = new ViewList(() => this.listChanged(), VIEWS_TIMING, HOST_FIX);
    this.subscription = session.onDidChange(() => this.follow());
    this.follow();
  }

  /**
   * The views, or null while unknown (signed out, loading, or the gateway failed). A list older
   * than 30 s is loaded again meanwhile (a view published since sign-in then becomes known, and
   * `onDidChange` fires when the list changed), as the JupyterLab gate's checks do.
   */
  current(): ViewUsed[] | null {
    this.list.refreshIfStale();
    return this.views;
  }

  /** Why the views are unknown after a failed load (what happened and how to fix it), or null. */
  problem(): string | null {
    const problem = this.list.problem;
    return problem ? viewsFailedText(problem) : null;
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
      if (!this.list.pending) await Promise.race([this.session.whenRestored(), timeout]);
      const pending = this.list.pending;
      if (this.views || !pending) return this.views;
      await Promise.race([pending, timeout]);
      return this.views;
    } finally {
      clearTimeout(timer);
    }
  }

  /** A session change: forgets the views and loads them for the new session (if signed in). */
  private follow(): void {
    this.views = null;
    this.told = null;
    this.list.follow(this.disposed ? null : (this.session.signedIn?.client ?? null));
  }

  /** The list loaded (the views are known again), or its first failure (tell the user). */
  private listChanged(): void {
    const views = this.list.views;
    if (views) {
      this.views = views.map(viewUsedOf);
      this.told = null;
      this.changed.fire();
      return;
    }
    const problem = this.list.problem;
    if (problem && !this.told) {
      this.told = problem;
      void this.tell(problem);
    }
  }

  /** Shows why the views are unknown; "Retry Now" loads them again at once. */
  private async tell(problem: ViewsProblem): Promise<void> {
    const picked = await vscode.window.showWarningMessage(viewsFailedText(problem), RETRY_VIEWS);
    if (picked !== RETRY_VIEWS || this.disposed || this.views !== null) return;
    this.list.reload();
  }

  /** Stops following the session and retrying. */
  dispose(): void {
    this.disposed = true;
    this.list.dispose();
    this.subscription.dispose();
    this.changed.dispose();
  }
}
