/**
 * The button that loads something again after the gateway did not answer (LoadStatus, ViewList,
 * RestoreProblemBox). Why aria-disabled while busy, not disabled: a button that becomes disabled
 * loses keyboard focus to the page, so the user would have to find their place again.
 */
import * as React from 'react';

/** Props of RetryButton. */
export interface RetryButtonProps {
  onClick: () => void;
  /** True while the retry runs: the label says so and clicks are ignored. */
  busy?: boolean;
  /** The label; "Retry" unless given. */
  label?: string;
  /** The label while busy; "Retrying…" unless given. */
  busyLabel?: string;
  /** The accented button (the one thing to do) instead of a minimal one. */
  accept?: boolean;
}

/** A Retry button that keeps focus while busy. */
export function RetryButton(props: RetryButtonProps): JSX.Element {
  const busy = props.busy ?? false;
  return (
    <button
      type="button"
      className={`jp-Button jp-mod-styled ${props.accept ? 'jp-mod-accept' : 'jp-mod-minimal'}`}
      aria-disabled={busy ? 'true' : undefined}
      onClick={busy ? undefined : props.onClick}
    >
      {busy ? (props.busyLabel ?? 'Retrying…') : (props.label ?? 'Retry')}
    </button>
  );
}
