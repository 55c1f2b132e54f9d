/**
 * The gateway's views (GET /views) as the output gates' row-level context (both hosts), kept
 * fresh. Why: a
 * steward may publish a view (and restart the gateway) while the analyst stays signed in, and one
 * failed load must not leave the list unknown — every table held — for the whole session. So the
 * list is loaded at sign-in, again when the experiment changes (`reload`) and when a check finds
 * it older than `staleMs` (`refreshIfStale`), never with two loads in flight; a failed load is
 * retried after `retryFirstMs`, doubling up to `retryMaxMs`, until it succeeds or the session
 * changes. A failed reload keeps the list known before it; while no list is known, `problem` says
 * why (callers fail closed meanwhile).
 */
import type { ViewSummary } from '../protocol.js';
import { GatewayError } from './gateway-error.js';

/** When the list is loaded again (tests pass small delays). */
export interface ViewsTiming {
  /** Delay before the first retry after a failed load (doubled after each further failure). */
  retryFirstMs: number;
  /** Longest delay between two retries. */
  retryMaxMs: number;
  /** Age from which a check reloads the list (and the least time between such reloads). */
  staleMs: number;
  /** The current time in milliseconds. */
  now(): number;
}

/** The gate's timing: retries after 2 s, 4 s, … at most every 60 s; a list is stale after 30 s. */
export const VIEWS_TIMING: ViewsTiming = {
  retryFirstMs: 2_000,
  retryMaxMs: 60_000,
  staleMs: 30_000,
  now: () => Date.now(),
};

/** Why the views are unknown after a failed load, and how to fix it (never data). */
export interface ViewsProblem {
  reason: string;
  fix: string;
}

/** What the list is loaded from (the signed-in user's gateway client). */
export interface ViewsSource {
  listViews(): Promise<{ views: ViewSummary[] }>;
}

/** What a failed load says to the user; `hostFix` when the error brings no fix of its own. */
export function viewsProblemOf(
  error: unknown,
  hostFix = 'check that the Privet gateway is running and reachable (npm start)',
): ViewsProblem {
  const detail = error instanceof Error ? error.message : String(error);
  const fix =
    error instanceof GatewayError && error.fix.trim() !== ''
      ? error.fix.trim().replace(/[.\s]+$/, '')
      : hostFix;
  return {
    reason: `the gateway's list of views could not be loaded (${detail})`,
    fix: `${fix}; Privet tries again on its own`,
  };
}

/** The views of the signed-in session, reloaded and retried as described above. */
export class ViewList {
  private list: ViewSummary[] | null = null;
  private failure: ViewsProblem | null = null;
  private source: ViewsSource | null = null;
  /** Counts session changes: a load begun for an earlier session is ignored. */
  private session = 0;
  private loading = false;
  /** The load in flight as a promise (for `pending`), or null. */
  private current: Promise<void> | null = null;
  /** A reload was asked for while a load was in flight: one more follows it. */
  private again = false;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private retryDelay: number;
  private lastStart = Number.NEGATIVE_INFINITY;

  /**
   * `changed` is called when the list changed, and on the first failure while none is known (why
   * it is unknown: `problem`).
   */
  constructor(
    private readonly changed: () => void,
    private readonly timing: ViewsTiming = VIEWS_TIMING,
    /** The fix of a failure whose error brings none (it names the host's gateway setting). */
    private readonly hostFix?: string,
  ) {
    this.retryDelay = timing.retryFirstMs;
  }

  /** The views, or null while unknown (signed out, loading, or every load so far failed). */
  get views(): ViewSummary[] | null {
    return this.list;
  }

  /** The load in flight (it settles, never rejects), or null. */
  get pending(): Promise<void> | null {
    return this.current;
  }

  /** Why the views are unknown after a failed load, or null (known, loading or signed out). */
  get problem(): ViewsProblem | null {
    return this.list === null ? this.failure : null;
  }

  /** Follows a new session: forgets the list and loads it from `source` (null: signed out). */
  follow(source: ViewsSource | null): void {
    this.session += 1;
    this.stopRetry();
    this.retryDelay = this.timing.retryFirstMs;
    this.list = null;
    this.failure = null;
    this.loading = false;
    this.current = null;
    this.again = false;
    this.source = source;
    if (source) void this.load(source);
  }

  /** Loads the list again now (another experiment), or right after the load in flight. */
  reload(): void {
    if (!this.source) return;
    if (this.loading) {
      this.again = true;
      return;
    }
    this.stopRetry();
    void this.load(this.source);
  }

  /** Loads a known list again when it is older than `staleMs` (a retry pending does it anyway). */
  refreshIfStale(): void {
    if (!this.source || this.list === null || this.loading || this.retryTimer !== undefined) return;
    if (this.timing.now() - this.lastStart < this.timing.staleMs) return;
    void this.load(this.source);
  }

  /** Stops loading and retrying. */
  dispose(): void {
    this.follow(null);
  }

  private load(source: ViewsSource): Promise<void> {
    const attempt = this.attempt(source);
    this.current = attempt;
    void attempt.finally(() => {
      if (this.current === attempt) this.current = null;
    });
    return attempt;
  }

  private async attempt(source: ViewsSource): Promise<void> {
    const session = this.session;
    this.loading = true;
    this.lastStart = this.timing.now();
    try {
      const { views } = await source.listViews();
      if (session === this.session) this.loaded(views);
    } catch (error) {
      if (session === this.session) this.failed(error);
    } finally {
      if (session === this.session) this.settled();
    }
  }

  private settled(): void {
    this.loading = false;
    if (!this.again) return;
    this.again = false;
    this.reload();
  }

  private loaded(views: ViewSummary[]): void {
    const same = this.list !== null && JSON.stringify(this.list) === JSON.stringify(views);
    this.list = views;
    this.failure = null;
    this.retryDelay = this.timing.retryFirstMs;
    if (!same) this.changed(); // held outputs can now be checked with the views' columns
  }

  private failed(error: unknown): void {
    const firstReason = this.list === null && this.failure === null;
    this.failure = viewsProblemOf(error, this.hostFix);
    const delay = this.retryDelay;
    this.retryDelay = Math.min(delay * 2, this.timing.retryMaxMs);
    console.warn(
      `Privet: could not list views for the output check; trying again in ${Math.round(delay / 1000)} s.`,
      error,
    );
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      if (this.source && !this.loading) void this.load(this.source);
    }, delay);
    if (firstReason) this.changed(); // held outputs now say why
  }

  private stopRetry(): void {
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
  }
}
