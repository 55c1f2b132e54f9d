/**
 * Review states of held outputs, by experiment and content hash, from POST /reviews/status.
 * Lookups made in the same tick are batched into one request; hashes whose review is pending are
 * polled (bounded: one request per experiment every POLL_MS, only while something is pending) and
 * `changed` fires when a state moves, so held outputs re-check and an approved one appears.
 */
import { Signal, type ISignal } from '@lumino/signaling';
import type { ReviewState } from '@privet/core/protocol';
import type { GatewayClient } from '../client.js';

/** The newest review of one content hash, or none. */
export interface ApprovalStatus {
  state: ReviewState | 'none';
  reviewId?: string;
}

/** How often pending reviews are polled. */
export const POLL_MS = 3000;
/** Most hashes asked in one request. */
const BATCH = 200;

interface Waiter {
  experiment: string;
  hash: string;
  resolve: (status: ApprovalStatus) => void;
  reject: (error: unknown) => void;
}

/** Review-state cache with batched lookups and polling of pending reviews. */
export class ApprovalCache {
  private readonly states = new Map<string, ApprovalStatus>();
  private queue: Waiter[] = [];
  private timer: ReturnType<typeof setInterval> | undefined;
  private readonly changedSignal = new Signal<this, void>(this);

  /** `client` returns the signed-in user's client, or null. */
  constructor(private readonly client: () => GatewayClient | null) {}

  /** Fires when a polled review changed state. */
  get changed(): ISignal<this, void> {
    return this.changedSignal;
  }

  /** The review status of `hash` in `experiment` (cached unless pending). */
  status(experiment: string, hash: string): Promise<ApprovalStatus> {
    const cached = this.states.get(key(experiment, hash));
    if (cached && cached.state !== 'none' && cached.state !== 'pending') {
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
    if (status.state === 'pending') this.startPolling();
    this.changedSignal.emit();
  }

  /** Forgets everything (sign-out, another gateway). */
  clear(): void {
    this.states.clear();
    this.stopPolling();
  }

  /** Stops polling; lookups still work. */
  dispose(): void {
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
      try {
        const hashes = [...new Set(list.map((w) => w.hash))];
        const learned = await this.ask(client, experiment, hashes);
        for (const w of list) w.resolve(learned.get(w.hash) ?? { state: 'none' });
      } catch (error) {
        for (const w of list) w.reject(error);
      }
    }
  }

  /** Asks the gateway in batches; stores and returns the answers. */
  private async ask(
    client: GatewayClient,
    experiment: string,
    hashes: string[],
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
        this.states.set(key(experiment, s.contentHash), status);
      }
    }
    if ([...learned.values()].some((s) => s.state === 'pending')) this.startPolling();
    return learned;
  }

  private startPolling(): void {
    this.timer ??= setInterval(() => void this.poll(), POLL_MS);
  }

  private stopPolling(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Re-asks every pending hash; fires `changed` when any state moved. */
  private async poll(): Promise<void> {
    const client = this.client();
    const pending = new Map<string, string[]>();
    for (const [k, status] of this.states) {
      if (status.state !== 'pending') continue;
      const [experiment, hash] = k.split('\n') as [string, string];
      pending.set(experiment, [...(pending.get(experiment) ?? []), hash]);
    }
    if (!client || pending.size === 0) {
      this.stopPolling();
      return;
    }
    let moved = false;
    for (const [experiment, hashes] of pending) {
      try {
        const learned = await this.ask(client, experiment, hashes);
        if ([...learned.values()].some((s) => s.state !== 'pending')) moved = true;
      } catch (error) {
        console.warn(`Privet: could not poll review states in "${experiment}"`, error);
      }
    }
    if (moved) this.changedSignal.emit();
  }
}

/** Cache key of a hash in an experiment. */
function key(experiment: string, hash: string): string {
  return `${experiment}\n${hash}`;
}
