// Why hand-written: the leak check is limited on two axes at once (calls and candidates per user),
// which request-count limiters such as @fastify/rate-limit cannot express; a token bucket is a
// few lines of exact integer arithmetic (milli-tokens) and keeps no timers.

/** Limits of one user's leak checks. */
export interface LeakRateLimits {
  /** Calls per window. */
  calls: number;
  /** Candidate strings per window. */
  candidates: number;
  /** Window over which both refill completely, in ms. */
  windowMs: number;
}

/**
 * Default limits per user and minute: 10,000 lookups (the verdicts, which carry the membership
 * signal) and 1,200 calls (load only: the hosts check every output they show, a streamed one on
 * each redraw).
 */
export const DEFAULT_LEAK_LIMITS: LeakRateLimits = {
  calls: 1200,
  candidates: 10_000,
  windowMs: 60_000,
};

interface Bucket {
  /** Thousandths of a call / candidate left. */
  calls: number;
  candidates: number;
  at: number;
}

/** Per-user dual token bucket: `take` spends one call and `n` candidates, or says when to retry. */
export class DualTokenBucket {
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    private readonly limits: LeakRateLimits = DEFAULT_LEAK_LIMITS,
    private readonly now: () => number = () => Date.now(),
  ) {}

  /** Spends the tokens and returns 0, or returns the seconds to wait (nothing is spent then). */
  take(user: string, n: number): number {
    const { calls, candidates, windowMs } = this.limits;
    const t = this.now();
    const b = this.buckets.get(user) ?? {
      calls: calls * 1000,
      candidates: candidates * 1000,
      at: t,
    };
    const elapsed = Math.max(0, t - b.at);
    // Refill per ms: capacity*1000 milli-tokens over windowMs.
    b.calls = Math.min(calls * 1000, b.calls + Math.floor((elapsed * calls * 1000) / windowMs));
    b.candidates = Math.min(
      candidates * 1000,
      b.candidates + Math.floor((elapsed * candidates * 1000) / windowMs),
    );
    b.at = t;
    this.buckets.set(user, b);
    const needCalls = 1000 - b.calls;
    const needCandidates = n * 1000 - b.candidates;
    if (needCalls <= 0 && needCandidates <= 0) {
      b.calls -= 1000;
      b.candidates -= n * 1000;
      return 0;
    }
    const waitCalls = needCalls > 0 ? (needCalls * windowMs) / (calls * 1000) : 0;
    const waitCandidates =
      needCandidates > 0 ? (needCandidates * windowMs) / (candidates * 1000) : 0;
    return Math.max(1, Math.ceil(Math.max(waitCalls, waitCandidates) / 1000));
  }
}
