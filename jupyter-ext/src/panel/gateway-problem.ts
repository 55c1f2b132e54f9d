/**
 * When the experiments and the views fail for one reason that is the gateway's, not theirs, the
 * data panel says so once (GatewayStatus.tsx) instead of one red box per list: the gateway could
 * not be reached (or did not answer in time) on both lists' refreshes, or it refused the sign-in
 * (401: e.g. it restarted with re-issued tokens). Kept apart from React so it is tested in Node.
 */
import type { ErrorInfo } from './ErrorBox.js';

/** Why the gateway failed every list: it refused the sign-in, or it could not be reached. */
export type GatewayCause = 'refused' | 'unreachable';

/** One list's error now: a failed first load (`stale` false) or a failed refresh (`stale` true). */
export interface ListError {
  error: ErrorInfo | null | undefined;
  stale: boolean;
}

/** The gateway problem the panel tells once, with the error it shows for it. */
export interface GatewayProblem {
  cause: GatewayCause;
  error: ErrorInfo;
}

/** What an error says of the gateway as a whole (null: it is about one request or list). */
export function gatewayCauseOf(error: ErrorInfo | null | undefined): GatewayCause | null {
  if (!error) return null;
  if (error.status === 401 || error.code === 'unauthenticated') return 'refused';
  if (error.code === 'unreachable' || error.code === 'timeout') return 'unreachable';
  return null;
}

/**
 * The problem to tell once for `lists`: a refused sign-in as soon as one list was refused (every
 * other call would be too); an unreachable gateway when every list (two or more) kept what it
 * showed after a refresh that could not reach it. Null otherwise: each list says its own error.
 */
export function sharedGatewayProblem(lists: readonly ListError[]): GatewayProblem | null {
  const refused = lists.find((l) => gatewayCauseOf(l.error) === 'refused')?.error;
  if (refused) return { cause: 'refused', error: refused };
  const allDown =
    lists.length >= 2 && lists.every((l) => l.stale && gatewayCauseOf(l.error) === 'unreachable');
  const first = lists[0]?.error;
  return allDown && first ? { cause: 'unreachable', error: first } : null;
}

/** True when `list`'s error is told by `problem` above the lists (the list then omits it). */
export function toldByProblem(problem: GatewayProblem | null, list: ListError): boolean {
  return problem !== null && gatewayCauseOf(list.error) !== null;
}
