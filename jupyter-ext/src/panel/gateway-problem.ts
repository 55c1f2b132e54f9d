/**
 * When lists fail for one reason that is the gateway's, not theirs, the panels say so once
 * (GatewayStatus.tsx) instead of one red box per list: the gateway could not be reached (or did
 * not answer in time) for two or more lists, on a first load or a refresh, or it refused the
 * sign-in (401: e.g. it restarted with re-issued tokens). The lists are those of every Privet
 * panel (gateway-status-model.ts): the data panel's, the budget sidebar's and the review queue's.
 * Kept apart from React so it is tested in Node.
 */
import type { ErrorInfo } from './ErrorBox.js';

/** Why the gateway failed every list: it refused the sign-in, or it could not be reached. */
export type GatewayCause = 'refused' | 'unreachable';

/** One list's error now: a failed first load (`stale` false) or a failed refresh (`stale` true). */
export interface ListError {
  error: ErrorInfo | null | undefined;
  stale: boolean;
  /** What the list shows, plural and without article (e.g. "views"), for the shared message. */
  what?: string;
  /** True while its first load is under way (nothing known yet). */
  loading?: boolean;
  /** True while a reload the shared message's Retry asked for runs (the message stays till then). */
  retried?: boolean;
  /** While an answer is awaited (a first load, a refresh or a retry): when it was asked. */
  awaited?: number;
  /** When its error came in (comparable with `awaited`: nextAsk() numbers, ask-order.ts). */
  answeredAt?: number;
}

/** The gateway problem the panels tell once, with the error it shows for it. */
export interface GatewayProblem {
  cause: GatewayCause;
  error: ErrorInfo;
  /** What the lists it covers show (their `what`, each once, in order). */
  what: string[];
  /** True when every list it covers still shows what a refresh before it brought. */
  stale: boolean;
}

/**
 * How a list's failure is told: by the list itself, once above for every list, or not yet (it is
 * alone so far while answers other lists asked for before it failed are still awaited: one
 * message, not one now and one later). 'blocked': the list has no answer yet (its first load is
 * under way) while the message above already says the gateway cannot be reached: it waits for the
 * gateway, pointing there, instead of saying "Loading…" until its call's time limit.
 */
export type SharedTold = 'own' | 'above' | 'waiting' | 'blocked';

/** What an error says of the gateway as a whole (null: it is about one request or list). */
export function gatewayCauseOf(error: ErrorInfo | null | undefined): GatewayCause | null {
  if (!error) return null;
  if (error.status === 401 || error.code === 'unauthenticated') return 'refused';
  if (error.code === 'unreachable' || error.code === 'timeout') return 'unreachable';
  return null;
}

/**
 * The problem to tell once for `lists`: a refused sign-in as soon as one list was refused (every
 * other call would be too); an unreachable gateway when two or more lists could not reach it,
 * whether they failed a first load or kept what they showed (or while the shared Retry reloads
 * one of them: the message stays until its reloads end). Null otherwise: each list says its own
 * error.
 */
export function sharedGatewayProblem(lists: readonly ListError[]): GatewayProblem | null {
  const refused = lists.filter((l) => gatewayCauseOf(l.error) === 'refused');
  const down = lists.filter((l) => gatewayCauseOf(l.error) === 'unreachable');
  const shared = down.length >= 2 || down.some((l) => l.retried === true);
  const covered = refused.length > 0 ? refused : shared ? down : [];
  const first = covered[0]?.error;
  if (!first) return null;
  return {
    cause: refused.length > 0 ? 'refused' : 'unreachable',
    error: first,
    what: [...new Set(covered.flatMap((l) => (l.what ? [l.what] : [])))],
    stale: covered.every((l) => l.stale),
  };
}

/** True when `list`'s error is told by `problem` above the lists (the list then omits it). */
export function toldByProblem(problem: GatewayProblem | null, list: ListError): boolean {
  return problem !== null && gatewayCauseOf(list.error) !== null;
}

/**
 * How `list` (one of `lists`) tells its failure now (see SharedTold). A list that alone could not
 * reach the gateway (a first load or a refresh) waits while another list's answer asked before its
 * error came in is still awaited (a first load without those numbers: while it loads), so a poll
 * whose lists fail one by one shows the one message, not one list's note first; an answer asked
 * later does not hold its note back (it is shown already).
 */
export function toldOf(lists: readonly ListError[], list: ListError): SharedTold {
  const problem = sharedGatewayProblem(lists);
  if (problem) {
    if (toldByProblem(problem, list)) return 'above';
    return blocksFirstLoad(problem, list) ? 'blocked' : 'own';
  }
  if (gatewayCauseOf(list.error) !== 'unreachable') return 'own';
  const failedAt = list.answeredAt ?? Infinity;
  const askedBefore = (l: ListError): boolean =>
    l.awaited !== undefined ? l.awaited <= failedAt : l.loading === true;
  return lists.some((l) => l !== list && askedBefore(l)) ? 'waiting' : 'own';
}

/**
 * True when `list`'s first load, under way, waits for the gateway `problem` says is unreachable
 * (a refused sign-in ends in a new sign-in, which loads every list anew).
 */
export function blocksFirstLoad(problem: GatewayProblem | null, list: ListError): boolean {
  return problem?.cause === 'unreachable' && list.loading === true;
}

/** True when a list shows its own error or out-of-date note (none while told above or waiting). */
export function showsOwnNote(told: SharedTold | undefined): boolean {
  return told === undefined || told === 'own';
}

/** `what` as a phrase: "experiments", "experiments and views", "a, b and c". */
export function whatText(what: readonly string[]): string {
  if (what.length <= 1) return what[0] ?? 'what the Privet panels show';
  return `${what.slice(0, -1).join(', ')} and ${what[what.length - 1]}`;
}
