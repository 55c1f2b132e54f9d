/**
 * Where a list fetched from the gateway is — loading, failed, retrying or loaded — and the one
 * line shown for it: "Loading…" only while nothing is known, the error (with Retry) only after a
 * failure, and the empty text only after a load that succeeded. Why one place: the panels said
 * "No …" while still loading or after a failure, and kept "Loading…" beside an error.
 */
import * as React from 'react';
import { ErrorBox, type ErrorInfo } from './ErrorBox.js';
import type { SharedTold } from './gateway-problem.js';
import { RetryButton } from './RetryButton.js';

/** A value fetched from the gateway: loading, failed (with the error), retrying, or ready. */
export type Load<T> =
  | { state: 'loading' }
  | { state: 'failed'; error: ErrorInfo }
  /** Loading again after a failure (its Retry was chosen). */
  | { state: 'retrying' }
  /** `refreshing`: loading again while the value is shown. */
  | { state: 'ready'; value: T; refreshing?: boolean };

/** The loaded value, or `fallback` while loading or after a failure. */
export function loadedOr<T>(load: Load<T>, fallback: T): T {
  return load.state === 'ready' ? load.value : fallback;
}

/** What a list whose first load waits for the gateway says (`what`: "The views"). */
export function blockedText(what: string): string {
  return `${what} will load once the gateway answers: see the message above.`;
}

/** Props of LoadStatus. */
export interface LoadStatusProps {
  load: Load<readonly unknown[]>;
  /** Shown while loading, e.g. "Loading views…". */
  loading: string;
  /** Shown after a successful load of an empty list: what it means and what to do (none: nothing). */
  empty?: React.ReactNode;
  /** Loads again; a failure then offers "Retry". */
  onRetry?: () => void;
  /**
   * How a failure is told (useReportLoad): by this line ('own', the default); once above for
   * every list ('above': this line only points there, with no Retry of its own); or not yet
   * ('waiting': other lists are still loading, so it still says it is loading). 'blocked': still
   * loading while the message above says the gateway fails: this line says it waits for it.
   */
  told?: SharedTold;
  /** What the list is, as a sentence starts, for the pointer: e.g. "The views". */
  what?: string;
}

/** The status line of a loaded list: loading, the error with Retry, empty, or nothing. */
export function LoadStatus(props: LoadStatusProps): JSX.Element | null {
  const { load, told } = props;
  if (load.state === 'loading' && told === 'blocked') {
    // Not a status of its own: the message above is announced, this line only points there.
    return (
      <p className="jp-Privet-hint jp-Privet-toldAbove">{blockedText(props.what ?? 'This list')}</p>
    );
  }
  if (load.state === 'loading' || (load.state === 'failed' && told === 'waiting')) {
    return (
      <p className="jp-Privet-hint" role="status">
        {props.loading}
      </p>
    );
  }
  if (load.state === 'failed' && told === 'above') {
    return (
      <p className="jp-Privet-hint jp-Privet-toldAbove">
        {props.what ?? 'This list'} could not be loaded: see the message above.
      </p>
    );
  }
  if (load.state === 'failed' || load.state === 'retrying') {
    // The same two children in both states, so Retry keeps keyboard focus while retrying.
    return (
      <div className="jp-Privet-loadFailed">
        {load.state === 'failed' ? (
          <ErrorBox error={load.error} />
        ) : (
          <p className="jp-Privet-hint" role="status">
            {props.loading}
          </p>
        )}
        {props.onRetry && told !== 'above' ? (
          <RetryButton busy={load.state === 'retrying'} onClick={props.onRetry} />
        ) : null}
      </div>
    );
  }
  if (load.value.length > 0 || props.empty === undefined) return null;
  return <p className="jp-Privet-hint">{props.empty}</p>;
}
