/**
 * Every view the signed-in user may see, as the review engine's row-level context. Why all of
 * them: another kernel's cell can hold a view under any variable name, so `df.head()` of a masked
 * view is only recognised with every view's quasi-identifiers (as in the JupyterLab gate). Loaded
 * on every session change; unknown (null) while signed out or loading, when callers fail closed.
 * `whenKnown` waits, bounded, for the session's start-up token restore and the load after it.
 */
import * as vscode from 'vscode';
import { viewUsedOf, type ViewUsed } from '@privet/core';
import type { Session } from '../session.js';

/** The gateway's views as row-level context, reloaded on every session change. */
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

  /** Starts following the session (and loads now when already signed in). */
  constructor(private readonly session: Session) {
    this.subscription = session.onDidChange(() => void this.reload());
    void this.reload();
  }

  /** The views, or null while unknown (signed out, loading, or the gateway failed). */
  current(): ViewUsed[] | null {
    return this.views;
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

  private reload(): Promise<void> {
    const client = this.session.signedIn?.client;
    this.views = null;
    if (!client) {
      this.loading = null;
      return Promise.resolve();
    }
    const loading = client
      .listViews()
      .then(({ views }) => {
        if (this.loading !== loading) return; // a newer session change took over
        this.views = views.map(viewUsedOf);
        this.changed.fire();
      })
      .catch((error: unknown) => {
        console.warn('Privet: could not list views for the output check.', error);
      })
      .finally(() => {
        if (this.loading === loading) this.loading = null;
      });
    this.loading = loading;
    return loading;
  }

  /** Stops following the session. */
  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}
