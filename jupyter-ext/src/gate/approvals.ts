/**
 * Review states of held outputs, by experiment and content hash, from POST /reviews/status.
 * Lookups made in the same tick are batched into one request; hashes whose review is pending are
 * polled (bounded: one poll at a time, only while something is pending, every POLL_MS, the pause
 * doubling after each failed poll up to MAX_POLL_MS) and `changed` fires when a state moves, so
 * held outputs re-check and an approved one appears. When the gateway refuses the token (401),
 * polling stops and the held outputs say to sign in again, until the session changes.
 */
import { Signal, type ISignal } from '@lumino/signaling';
import type { ReviewState } from '@privet/core/protocol';
import type { GatewayClient } from '../client.js';
import { isSignInRefused, signInRefusal, type SignInRefusal } from './sign-in-refusal.js';

/** The newest review of one content hash, or none. */
export interface ApprovalStatus {
  state: ReviewState | 'none';
  reviewId?: string;
}

/** How often pending reviews are polled while polls succeed. */
export const POLL_MS = 3000;
/** The longest pause between polls while they keep failing. */
export const MAX_POLL_MS = 60_000;
/** Most hashes asked in one request. */
const BATCH = 200;

/** Timing and shared state of the cache (tests shorten the pauses or use their own flag). */
export interface ApprovalOptions {
  /** The pause between polls while they succeed (POLL_MS). */
  pollMs?: number;
  /** The longest pause while they fail (MAX_POLL_MS). */
  maxPollMs?: number;
  /** Where a refused sign-in is noted for the held outputs (the app's one by default). */
  refusal?: SignInRefusal;
}

/** The client calls the cache makes. */
type ReviewClient = Pick<GatewayClient, 'reviewStatus'>;

interface Waiter {
  experiment: string;
  hash: string;
  resolve: (status: ApprovalStatus) => void;
  reject: (error: unknown) => void;
}

/** What one poll of every pending hash found. */
interface PollOutcome {
  /** A state left `pending`. */
  moved: boolean;
  /** The first error of a failed request (not a refusal), if any. */
  failed: unknown;
  /** The gateway refused the token. */
  refused: boolean;
}

/** Review-state cache with batched lookups and polling of pending reviews. */
export class ApprovalCache {
  private readonly states = new Map<string, ApprovalStatus>();
  private queue: Waiter[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly changedSignal = new Signal<this, void>(this);
  private readonly pollMs: number;
  private readonly maxPollMs: number;
  private readonly refusal: SignInRefusal;
  /** Bumped by clear(): answers to older requests are dropped. */
  private generation = 0;
  /** A poll of this generation is waiting for the gateway. */
  private inFlight = false;
  /** Polls failed in a row (the pause doubles with each). */
  private failures = 0;
  /** The client whose token the gateway refused, while it is still the signed-in one. */
  private refusedClient: ReviewClient | null = null;
  private disposed = false;

  /** `client` returns the signed-in user's client, or null. */
  constructor(
    private readonly client: () => ReviewClient | null,
    options: ApprovalOptions = {},
  ) {
    this.pollMs = options.pollMs ?? POLL_MS;
    this.maxPollMs = options.maxPollMs ?? MAX_POLL_MS;
    this.refusal = options.refusal ?? signInRefusal;
  }

  /** Fires when a polled review changed state, or the gateway refused the sign-in. */
  get changed(): ISignal<this, void> {
    return this.changedSignal;
  }

  /** The review status of `hash` in `experiment` (cached unless pending and still polled). */
  status(experiment: string, hash: string): Promise<ApprovalStatus> {
    const cached = this.states.get(key(experiment, hash));
    const settled = cached && cached.state !== 'none' && cached.state !== 'pending';
    // While the sign-in is refused, asking again would only be refused again.
    if (cached && (settled || (cached.state === 'pending' && this.isRefused()))) {
      return Promise.resolve(cached);
    }
    return new Promise((resolve, reject) => {
      if (this.queue.length === 0) queueMicrotask(() => void this.flush());
      this.queue.push({ experiment, hash, resolve, reject });
    });
  }

  /** Records a state learned elsewhere (e.g. the answer to POST /reviews). */
  set(experiment: string, hash: string, status: ApprovalStatus): void {
    this.states.set(key(experiment, hash), status);
    if (status.state === 'pending') this.schedule();
    this.changedSignal.emit();
  }

  /** Forgets everything (sign-out, another gateway); a new session is polled afresh. */
  clear(): void {
    this.states.clear();
    this.stopPolling();
    this.generation += 1;
    this.inFlight = false;
    this.failures = 0;
    this.refusedClient = null;
    this.refusal.set(false);
  }

  /** Stops polling for good; lookups still work. */
  dispose(): void {
    this.disposed = true;
    this.stopPolling();
  }

  private async flush(): Promise<void> {
    const waiting = this.queue;
    this.queue = [];
    const client = this.client();
    const byExperiment = new Map<string, Waiter[]>();
    for (const w of waiting) {
      const list = byExperiment.get(w.experiment) ?? [];
      list.push(w);
      byExperiment.set(w.experiment, list);
    }
    for (const [experiment, list] of byExperiment) {
      if (!client) {
        for (const w of list) w.resolve({ state: 'none' });
        continue;
      }
      await this.lookUp(client, experiment, list);
    }
  }

  /** Answers the waiters of one experiment with one (batched) lookup. */
  private async lookUp(client: ReviewClient, experiment: string, list: Waiter[]): Promise<void> {
    const generation = this.generation;
    try {
      const hashes = [...new Set(list.map((w) => w.hash))];
      const learned = await this.ask(client, experiment, hashes, generation);
      this.accepted(client);
      for (const w of list) w.resolve(learned.get(w.hash) ?? { state: 'none' });
      if ([...learned.values()].some((s) => s.state === 'pending')) this.schedule();
    } catch (error) {
      if (isSignInRefused(error) && generation === this.generation) this.refuse(client);
      for (const w of list) w.reject(error);
    }
  }

  /** Asks the gateway in batches; stores (unless cleared meanwhile) and returns the answers. */
  private async ask(
    client: ReviewClient,
    experiment: string,
    hashes: string[],
    generation: number,
  ): Promise<Map<string, ApprovalStatus>> {
    const learned = new Map<string, ApprovalStatus>();
    for (let i = 0; i < hashes.length; i += BATCH) {
      const { statuses } = await client.reviewStatus({
        experiment,
        contentHashes: hashes.slice(i, i + BATCH),
      });
      for (const s of statuses) {
        const status: ApprovalStatus = { state: s.state, reviewId: s.reviewId };
        learned.set(s.contentHash, status);
        if (generation === this.generation) this.states.set(key(experiment, s.contentHash), status);
      }
    }
    return learned;
  }

  /** Plans the next poll, unless one is planned or running, nothing is pending or it is refused. */
  private schedule(): void {
    if (this.disposed || this.timer !== undefined || this.inFlight) return;
    if (this.isRefused() || this.pending().size === 0) return;
    const delay = Math.min(this.pollMs * 2 ** Math.min(this.failures, 30), this.maxPollMs);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.poll();
    }, delay);
  }

  private stopPolling(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** The pending hashes, by experiment. */
  private pending(): Map<string, string[]> {
    const pending = new Map<string, string[]>();
    for (const [k, status] of this.states) {
      if (status.state !== 'pending') continue;
      const [experiment, hash] = k.split('\n') as [string, string];
      pending.set(experiment, [...(pending.get(experiment) ?? []), hash]);
    }
    return pending;
  }

  /** Re-asks every pending hash (one poll at a time), then plans the next poll. */
  private async poll(): Promise<void> {
    const client = this.client();
    const pending = this.pending();
    if (!client || pending.size === 0 || this.isRefused()) return;
    const generation = this.generation;
    this.inFlight = true;
    const outcome = await this.askPending(client, pending, generation);
    if (generation !== this.generation) return; // cleared meanwhile: the new session polls itself
    this.inFlight = false;
    if (outcome.refused) return this.refuse(client);
    if (outcome.failed !== undefined) this.failed(outcome.failed);
    else this.accepted(client);
    if (outcome.moved) this.changedSignal.emit();
    this.schedule();
  }

  /** Asks about the pending hashes of each experiment; never rejects. */
  private async askPending(
    client: ReviewClient,
    pending: Map<string, string[]>,
    generation: number,
  ): Promise<PollOutcome> {
    const outcome: PollOutcome = { moved: false, failed: undefined, refused: false };
    for (const [experiment, hashes] of pending) {
      try {
        const learned = await this.ask(client, experiment, hashes, generation);
        if ([...learned.values()].some((s) => s.state !== 'pending')) outcome.moved = true;
      } catch (error) {
        if (isSignInRefused(error)) return { ...outcome, refused: true };
        outcome.failed ??= error;
      }
    }
    return outcome;
  }

  /** Counts a failed poll; only the first of a streak is logged. */
  private failed(error: unknown): void {
    this.failures += 1;
    if (this.failures > 1) return;
    console.warn(
      'Privet: could not poll the review states of held outputs; trying again with longer ' +
        `pauses (up to ${this.maxPollMs / 1000} s), logged again only after a poll succeeds. ` +
        'Fix: check that the gateway is running.',
      error,
    );
  }

  /** The gateway answered: the backoff and any refusal of this client are over. */
  private accepted(client: ReviewClient): void {
    this.failures = 0;
    if (this.refusedClient === client) {
      this.refusedClient = null;
      this.refusal.set(false);
    }
  }

  /** The gateway refused `client`'s token: stop polling and tell the held outputs. */
  private refuse(client: ReviewClient): void {
    this.stopPolling();
    this.refusedClient = client;
    if (!this.refusal.set(true)) return;
    console.warn(
      'Privet: the gateway no longer accepts your sign-in, so held outputs are not checked for ' +
        'approval. Fix: sign out and sign in again (Privet data panel).',
    );
    this.changedSignal.emit();
  }

  /** True while the signed-in client is the one refused (another sign-in clears it). */
  private isRefused(): boolean {
    if (this.refusedClient === null) return false;
    if (this.client() === this.refusedClient) return true;
    this.refusedClient = null;
    this.refusal.set(false);
    return false;
  }
}

/** Cache key of a hash in an experiment. */
function key(experiment: string, hash: string): string {
  return `${experiment}\n${hash}`;
}
