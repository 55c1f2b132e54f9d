/**
 * Where a list fetched from the gateway is — loading, failed or loaded — and the one line shown
 * for it: "Loading…" only while nothing is known, the error (with Retry) only after a failure, and
 * the empty text only after a load that succeeded. Why one place: the panels said "No …" while
 * still loading or after a failure, and kept "Loading…" beside an error.
 */
import * as React from 'react';
import { ErrorBox, type ErrorInfo } from './ErrorBox.js';

/** A value fetched from the gateway: loading, failed (with the error), or ready. */
export type Load<T> =
  { state: 'loading' } | { state: 'failed'; error: ErrorInfo } | { state: 'ready'; value: T };

/** The Load of a value kept as `value` (null: not loaded yet) and the last error (null: none). */
export function loadOf<T>(value: T | null, error: ErrorInfo | null): Load<T> {
  if (error) return { state: 'failed', error };
  return value === null ? { state: 'loading' } : { state: 'ready', value };
}

/** The loaded value, or `fallback` while loading or after a failure. */
export function loadedOr<T>(load: Load<T>, fallback: T): T {
  return load.state === 'ready' ? load.value : fallback;
}

/** Props of LoadStatus. */
export interface LoadStatusProps {
  load: Load<readonly unknown[]>;
  /** Shown while loading, e.g. "Loading views…". */
  loading: string;
  /** Shown after a successful load of an empty list: what it means and what to do. */
  empty: React.ReactNode;
  /** Loads again; a failure then offers "Retry". */
  onRetry?: () => void;
}

/** The status line of a loaded list: loading, the error with Retry, empty, or nothing. */
export function LoadStatus(props: LoadStatusProps): JSX.Element | null {
  const { load } = props;
  if (load.state === 'loading') {
    return (
      <p className="jp-Privet-hint" role="status">
        {props.loading}
      </p>
    );
  }
  if (load.state === 'failed') {
    return (
      <div className="jp-Privet-loadFailed">
        <ErrorBox error={load.error} />
        {props.onRetry ? (
          <button
            type="button"
            className="jp-Button jp-mod-styled jp-mod-minimal"
            onClick={props.onRetry}
          >
            Retry
          </button>
        ) : null}
      </div>
    );
  }
  return load.value.length === 0 ? <p className="jp-Privet-hint">{props.empty}</p> : null;
}
