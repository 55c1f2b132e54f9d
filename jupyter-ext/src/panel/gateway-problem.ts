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
 * alone so far while other lists are still loading: one message, not one now and one later).
 */
export type SharedTold = 'own' | 'above' | 'waiting';

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

/** How `list` (one of `lists`) tells its failure now (see SharedTold). */
export function toldOf(lists: readonly ListError[], list: ListError): SharedTold {
  const problem = sharedGatewayProblem(lists);
  if (problem) return toldByProblem(problem, list) ? 'above' : 'own';
  const alone = !list.stale && gatewayCauseOf(list.error) === 'unreachable';
  return alone && lists.some((l) => l !== list && l.loading === true) ? 'waiting' : 'own';
}

/** `what` as a phrase: "experiments", "experiments and views", "a, b and c". */
export function whatText(what: readonly string[]): string {
  if (what.length <= 1) return what[0] ?? 'what the Privet panels show';
  return `${what.slice(0, -1).join(', ')} and ${what[what.length - 1]}`;
}
