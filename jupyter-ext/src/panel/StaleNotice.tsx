/**
 * What a panel says when a refresh of something it still shows failed (e.g. the gateway
 * restarted): what happened, how to fix it, and that what is shown may be out of date. Why not
 * the error alone in its place: the panel keeps the last answer so nothing the user was doing in
 * it (a typed comment, an opened output) is lost while the gateway is away.
 */
import * as React from 'react';
import { ErrorBox, type ErrorInfo } from './ErrorBox.js';
import { RetryButton } from './RetryButton.js';

/** Props of StaleNotice. */
export interface StaleNoticeProps {
  /** Why the last refresh failed (null or undefined: it did not; nothing is shown). */
  error: ErrorInfo | null | undefined;
  /** What is shown, as a plural in a sentence: e.g. "the review requests". */
  what: string;
  /** Refreshes now (none: the panel's own Refresh or timer does). */
  onRetry?: () => void;
  /** True while that refresh runs. */
  busy?: boolean;
}

/** The error of a failed refresh over what is still shown; nothing when the last one worked. */
export function StaleNotice(props: StaleNoticeProps): JSX.Element | null {
  const { error, what } = props;
  if (!error) return null;
  const failed: ErrorInfo = {
    message: `Could not refresh ${what}: ${error.message}`,
    fix: error.fix,
  };
  return (
    <div className="jp-Privet-stale" role="status">
      <ErrorBox error={failed} />
      <p className="jp-Privet-hint jp-Privet-staleHint">
        {capitalized(what)} shown may be out of date: they are from the last refresh that worked.
        This note goes away once a refresh works again.
      </p>
      {props.onRetry ? (
        <RetryButton
          label="Refresh now"
          busyLabel="Refreshing…"
          busy={props.busy}
          onClick={props.onRetry}
        />
      ) : null}
    </div>
  );
}

/** `text` with its first letter in upper case. */
function capitalized(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
