/**
 * The data panel's in-browser SQL runs. Why a run id: a query is asynchronous (engine start, view
 * loads, DuckDB), so an older query that finishes last, or one that finishes after a sign-out,
 * another sign-in or another experiment, would otherwise show its rows over the newer query's or
 * to the next session. Only the newest run's outcome is shown; a change of scope clears it.
 */
import * as React from 'react';
import type { QueryResult } from '../engine.js';
import { toErrorInfo, type ErrorInfo } from './ErrorBox.js';
import type { Progress } from './runSql.js';
import { sameIdentity } from './useGatewayLoad.js';

/** What the panel shows of its SQL runs, and how it starts one. */
export interface SqlRun {
  /** The newest run's rows (null: none, it failed or it is still running). */
  result: QueryResult | null;
  /** Why the newest run failed, or an error given to showError (null: none). */
  error: ErrorInfo | null;
  /** True while the newest run is out. */
  running: boolean;
  /** Where the running query is, for a status line ('' when none runs). */
  status: string;
  /** Starts a run of `query` (a run still out is superseded: its outcome is never shown). */
  run: (query: (progress: Progress) => Promise<QueryResult>) => void;
  /** Shows another error of the panel (e.g. "Use in notebook") in the same place. */
  showError: (error: ErrorInfo | null) => void;
}

/** The state of the newest run (or of the scope, before any run in it). */
interface RunState {
  /** The run this state is of: a new run or a new scope takes the next number. */
  id: number;
  /** The scope (sign-in, experiment) the run was started in. */
  of: readonly unknown[];
  running: boolean;
  status: string;
  result: QueryResult | null;
  error: ErrorInfo | null;
}

/** Nothing running or shown. */
const idle = (id: number, of: readonly unknown[]): RunState => ({
  id,
  of,
  running: false,
  status: '',
  result: null,
  error: null,
});

/**
 * Runs SQL for the panel within `scope` (the sign-in and experiment, compared by identity): a
 * scope change clears what is shown at once and drops outcomes of runs started before it.
 */
export function useSqlRun(scope: readonly unknown[]): SqlRun {
  const newest = React.useRef(0);
  const [state, setState] = React.useState<RunState>(() => idle(0, scope));
  const current = React.useRef(scope);
  current.current = scope;
  const ranFor = React.useRef(scope);
  /** The scope of the newest run (null: none since the last scope change). */
  const startedIn = React.useRef<readonly unknown[] | null>(null);
  React.useEffect(() => {
    if (sameIdentity(ranFor.current, scope)) return;
    ranFor.current = scope;
    // A run started in the new scope before this effect ran (a click within a frame) stays.
    if (startedIn.current && sameIdentity(startedIn.current, scope)) return;
    startedIn.current = null;
    newest.current += 1;
    setState(idle(newest.current, scope));
    // The scope's values are the dependencies (a fixed count per caller).
  }, [...scope]);

  const run = React.useCallback((query: (progress: Progress) => Promise<QueryResult>) => {
    newest.current += 1;
    const id = newest.current;
    startedIn.current = current.current;
    /** Applies `change` only while this run is the newest one. */
    const settle = (change: Partial<RunState>): void => {
      if (newest.current === id) setState((s) => (s.id === id ? { ...s, ...change } : s));
    };
    setState({ ...idle(id, current.current), running: true, status: 'Running…' });
    let outcome: Promise<QueryResult>;
    try {
      outcome = query((status) => settle({ status }));
    } catch (e) {
      outcome = Promise.reject(e);
    }
    outcome.then(
      (result) => settle({ running: false, status: '', result }),
      (e: unknown) => settle({ running: false, status: '', error: toErrorInfo(e) }),
    );
  }, []);
  const showError = React.useCallback((error: ErrorInfo | null) => {
    setState((s) => ({ ...s, error }));
  }, []);

  // Until the effect above has run, a state of the former scope is not shown.
  const shown = sameIdentity(state.of, scope) ? state : idle(state.id, scope);
  const { result, error, running, status } = shown;
  return { result, error, running, status, run, showError };
}
