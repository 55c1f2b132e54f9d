/**
 * One hook for a value fetched from the gateway (the views, experiments, review queue and the
 * experiment record): "Loading…" from the very first render of a new sign-in (not "No …" until
 * an effect starts), the error until Retry, then "Retrying…" instead of the stale error, and a
 * late answer for a former user or experiment dropped. With `keepOnFailedRefresh`, a refresh that
 * fails after a load that worked keeps the value shown (and what the user did in it) and gives the
 * error beside it as `refreshError`, until a refresh works. With `same`, a refresh that brings
 * what is shown already keeps the very value (no effect on it runs again). A value
 * fetched elsewhere (e.g. by a query) can be adopted in place, and an answer asked before the one
 * shown (a refresh overtaken by a query's own listing, or the reverse) is dropped. The Load says
 * while an answer is awaited (a poll's refresh too, which shows no "Refreshing…") and when its
 * error came in, for the shared gateway status. The slot functions are apart from React so they
 * are tested in Node.
 */
import * as React from 'react';
import { askedSoFar, nextAsk } from './ask-order.js';
import { toErrorInfo, type ErrorInfo } from './ErrorBox.js';
import type { Load } from './LoadStatus.js';

/**
 * A Load as the hook gives it: a value kept after a failed refresh carries that refresh's error;
 * `awaited` says an answer is awaited (a first load, a refresh or a retry) and when it was asked,
 * and `answeredAt` when the error shown came in, both in nextAsk() numbers (the shared gateway
 * status compares them: a failure waits for the answers asked before it, see gateway-problem.ts).
 */
export type ShownLoad<T> = Load<T> & {
  refreshError?: ErrorInfo;
  /** The nextAsk() number of the answer awaited (x.5: about to be asked, after x); none: idle. */
  awaited?: number;
  /** askedSoFar() when the error shown (failed, or refreshError) came in. */
  answeredAt?: number;
};

/** What the hook keeps: a Load and the identity (user, experiment, filter…) it is of. */
export interface LoadSlot<T> {
  of: readonly unknown[];
  load: ShownLoad<T>;
}

/** Options of useGatewayLoad. */
export interface GatewayLoadOptions<T = unknown> {
  /**
   * Keep the value shown when a refresh of the same identity fails (the error in `refreshError`)
   * instead of replacing it by the error; only for callers that show `refreshError`.
   */
  keepOnFailedRefresh?: boolean;
  /** True when a refreshed value shows the same as the one shown (which is then kept as is). */
  same?: (shown: T, fresh: T) => boolean;
}

/**
 * What useAdoptingLoad gives: the Load to show, a retry, and `adopt` for a value got elsewhere
 * (with the nextAsk() number taken just before it was asked for).
 */
export type AdoptingLoad<T> = [ShownLoad<T>, () => void, (value: T, asked: number) => void];

/** Which answer is shown: the identity it is of and when it was asked for (nextAsk). */
export interface ShownAsk {
  of: readonly unknown[];
  asked: number;
}

/** True when two answers are equal in every field (what is shown from them is the same). */
export function sameContent<T>(shown: T, fresh: T): boolean {
  return shown === fresh || JSON.stringify(shown) === JSON.stringify(fresh);
}

/** True when two identities name the same thing (the same values, in order). */
export function sameIdentity(a: readonly unknown[], b: readonly unknown[]): boolean {
  return a.length === b.length && a.every((x, i) => Object.is(x, b[i]));
}

/** The Load to show for `identity`: loading while the slot holds another identity's (or none). */
export function shownLoad<T>(slot: LoadSlot<T> | null, identity: readonly unknown[]): ShownLoad<T> {
  return slot && sameIdentity(slot.of, identity) ? slot.load : { state: 'loading' };
}

/** Why the last refresh of a value still shown failed (undefined: it did not, or none is shown). */
export function refreshErrorOf<T>(load: ShownLoad<T>): ErrorInfo | undefined {
  return load.state === 'ready' ? load.refreshError : undefined;
}

/**
 * The slot once an answer (`load`) for `identity` is in. With `keep`, a failure after a value of
 * the same identity keeps that value with the error as `refreshError`; a success clears it. With
 * `same`, a success that shows what is shown keeps the shown value (the very slot when nothing
 * else changes, so React does not render again).
 */
export function settledSlot<T>(
  slot: LoadSlot<T> | null,
  identity: readonly unknown[],
  load: Load<T>,
  keep: boolean,
  same?: (shown: T, fresh: T) => boolean,
): LoadSlot<T> {
  const kept = slot && sameIdentity(slot.of, identity) ? slot.load : null;
  if (keep && load.state === 'failed' && kept?.state === 'ready') {
    return { of: identity, load: { state: 'ready', value: kept.value, refreshError: load.error } };
  }
  if (same && load.state === 'ready' && kept?.state === 'ready' && same(kept.value, load.value)) {
    const unchanged = kept.refreshError === undefined && kept.refreshing !== true;
    return unchanged && slot ? slot : { of: identity, load: { state: 'ready', value: kept.value } };
  }
  return { of: identity, load };
}

/** The slot once `value`, got elsewhere for `identity`, is adopted (none for another identity). */
export function adoptedSlot<T>(
  slot: LoadSlot<T> | null,
  identity: readonly unknown[],
  value: T,
): LoadSlot<T> | null {
  if (!slot || !sameIdentity(slot.of, identity)) return slot;
  return { of: identity, load: { state: 'ready', value } };
}

/**
 * True when an answer for `of` asked at `asked` may replace what is shown: it is for the identity
 * now shown (`current`) and was not asked before the answer shown. `shown` then records it.
 */
export function takeNewerAnswer(
  shown: ShownAsk,
  current: readonly unknown[],
  of: readonly unknown[],
  asked: number,
): boolean {
  if (!sameIdentity(of, current)) return false;
  if (sameIdentity(shown.of, of) && asked < shown.asked) return false;
  shown.of = of;
  shown.asked = asked;
  return true;
}

/** The ask under way: the dependencies it was started with, and its number until it is in. */
interface Flight {
  deps: readonly unknown[];
  asked: number | null;
}

/**
 * The number of the answer awaited for `deps` (undefined: none): the ask's own once it started,
 * just above every number given so far while it is about to start (its dependencies changed).
 */
function awaitedAsk(
  flight: Flight | null,
  deps: readonly unknown[],
  fetching: boolean,
): number | undefined {
  if (!fetching) return undefined;
  if (!flight || !sameIdentity(flight.deps, deps)) return askedSoFar() + 0.5;
  return flight.asked ?? undefined;
}

/** `load` with when its answer is awaited and when its error came in (the very load without). */
function withFlight<T>(
  load: ShownLoad<T>,
  awaited: number | undefined,
  answeredAt: number | undefined,
): ShownLoad<T> {
  const failed = load.state === 'failed' || refreshErrorOf(load) !== undefined;
  const at = failed ? answeredAt : undefined;
  if (awaited === undefined && at === undefined) return load;
  return {
    ...load,
    ...(awaited !== undefined ? { awaited } : {}),
    ...(at !== undefined ? { answeredAt: at } : {}),
  };
}

/** The slot once a retry starts: a failure shows "Retrying…", a list shows it is refreshing. */
export function retryingSlot<T>(slot: LoadSlot<T> | null): LoadSlot<T> | null {
  if (slot?.load.state === 'failed') return { of: slot.of, load: { state: 'retrying' } };
  if (slot?.load.state === 'ready')
    return { of: slot.of, load: { ...slot.load, refreshing: true } };
  return slot;
}

/**
 * Fetches with `fetch` (null: nothing to fetch, e.g. signed out) whenever `identity` or
 * `refreshes` change, and on the returned retry. A new identity shows "Loading…" at once; a
 * refresh keeps what is shown until the new answer is in (and, with `keepOnFailedRefresh`, after
 * a failed one too). Answers for an old identity are dropped.
 */
export function useGatewayLoad<T>(
  fetch: (() => Promise<T>) | null,
  identity: readonly unknown[],
  refreshes: readonly unknown[] = [],
  options: GatewayLoadOptions<T> = {},
): [ShownLoad<T>, () => void] {
  const [load, retry] = useAdoptingLoad(fetch, identity, refreshes, options);
  return [load, retry];
}

/**
 * useGatewayLoad, and `adopt`: shows a value got elsewhere (e.g. by a query) for the identity of
 * the render that gave it, as if a refresh had brought it (dropped once the identity changed, or
 * when an answer asked later is shown already; a refresh asked before it is dropped in turn).
 */
export function useAdoptingLoad<T>(
  fetch: (() => Promise<T>) | null,
  identity: readonly unknown[],
  refreshes: readonly unknown[] = [],
  options: GatewayLoadOptions<T> = {},
): AdoptingLoad<T> {
  const [slot, setSlot] = React.useState<LoadSlot<T> | null>(null);
  const [retries, setRetries] = React.useState(0);
  // An answer that changes nothing shown still renders once: what is awaited is then nothing.
  const [, setAnswers] = React.useState(0);
  const latest = React.useRef(fetch);
  latest.current = fetch;
  const keep = options.keepOnFailedRefresh === true;
  const same = React.useRef(options.same);
  same.current = options.same;
  const current = React.useRef(identity);
  current.current = identity;
  const shown = React.useRef<ShownAsk>({ of: [], asked: 0 });
  const flight = React.useRef<Flight | null>(null);
  const answeredAt = React.useRef<number | undefined>(undefined);
  const deps = [...identity, ...refreshes, retries];
  React.useEffect(() => {
    const run = latest.current;
    if (!run) {
      flight.current = { deps, asked: null };
      return;
    }
    let live = true;
    const asked = nextAsk();
    const started: Flight = { deps, asked };
    flight.current = started;
    const settle = (load: Load<T>): void => {
      if (!live) return; // a newer ask (or none, once unmounted) is under way
      started.asked = null;
      setAnswers((n) => n + 1);
      if (!takeNewerAnswer(shown.current, current.current, identity, asked)) return;
      answeredAt.current = askedSoFar();
      setSlot((slot) => settledSlot(slot, identity, load, keep, same.current));
    };
    run().then(
      (value) => settle({ state: 'ready', value }),
      (error: unknown) => settle({ state: 'failed', error: toErrorInfo(error) }),
    );
    return () => {
      live = false;
    };
    // The identity's and refreshes' values are the dependencies (a fixed count per caller).
  }, deps);
  const retry = React.useCallback(() => {
    setSlot(retryingSlot);
    setRetries((n) => n + 1);
  }, []);
  const adopt = (value: T, asked: number): void => {
    if (!takeNewerAnswer(shown.current, current.current, identity, asked)) return;
    setSlot((slot) => adoptedSlot(slot, identity, value));
  };
  const base = shownLoad(slot, identity);
  const awaited = awaitedAsk(flight.current, deps, fetch !== null);
  const at = answeredAt.current;
  const load = React.useMemo(() => withFlight(base, awaited, at), [base, awaited, at]);
  return [load, retry, adopt];
}
