/**
 * The data panel's in-browser SQL runs. Why a run id: a query is asynchronous (engine start, view
 * loads, DuckDB), so an older query that finishes last, or one that finishes after a sign-out,
 * another sign-in or another experiment, would otherwise show its rows over the newer query's or
 * to the next session. Only the newest run's outcome is shown; a change of scope clears it.
 * A superseded run, or one of a former scope, is also stopped (its signal aborts), so it stops
 * using the engine and the network; Stop does the same for the newest run.
 */
import * as React from 'react';
import { QueryStoppedError } from '@privet/core/client/index';
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
  /** Starts a run of `query` (a run still out is superseded: stopped, its outcome never shown). */
  run: (query: (progress: Progress, signal: AbortSignal) => Promise<QueryResult>) => void;
  /** Stops the newest run, if one is out (its status then says it was stopped). */
  stop: () => void;
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
  /** Stops the newest run (null: none is out). */
  const outstanding = React.useRef<AbortController | null>(null);
  const abortOutstanding = (): void => {
    outstanding.current?.abort(new QueryStoppedError());
    outstanding.current = null;
  };
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
    abortOutstanding();
    newest.current += 1;
    setState(idle(newest.current, scope));
    // The scope's values are the dependencies (a fixed count per caller).
  }, [...scope]);

  const run = React.useCallback(
    (query: (progress: Progress, signal: AbortSignal) => Promise<QueryResult>) => {
      abortOutstanding();
      const controller = new AbortController();
      outstanding.current = controller;
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
        outcome = query((status) => {
          if (!controller.signal.aborted) settle({ status });
        }, controller.signal);
      } catch (e) {
        outcome = Promise.reject(e);
      }
      outcome
        .then(
          (result) => settle({ running: false, status: '', result }),
          (e: unknown) =>
            settle(
              // A stop is the user's own doing: said in the status line, not as an alert.
              e instanceof QueryStoppedError
                ? { running: false, status: stopText(e) }
                : { running: false, status: '', error: toErrorInfo(e) },
            ),
        )
        .finally(() => {
          if (outstanding.current === controller) outstanding.current = null;
        });
    },
    [],
  );
  const stop = React.useCallback(() => {
    const controller = outstanding.current;
    if (!controller) return;
    controller.abort(new QueryStoppedError());
    const id = newest.current;
    setState((s) => (s.id === id && s.running ? { ...s, status: 'Stopping…' } : s));
  }, []);
  // A run still out when the panel goes away is stopped.
  React.useEffect(() => abortOutstanding, []);
  const showError = React.useCallback((error: ErrorInfo | null) => {
    setState((s) => ({ ...s, error }));
  }, []);

  // Until the effect above has run, a state of the former scope is not shown.
  const shown = sameIdentity(state.of, scope) ? state : idle(state.id, scope);
  const { result, error, running, status } = shown;
  return { result, error, running, status, run, stop, showError };
}

/** The status line after a stop: what happened, and what else the stop did, as a sentence. */
function stopText(e: QueryStoppedError): string {
  return `${e.message.charAt(0).toUpperCase()}${e.message.slice(1)}.`;
}
