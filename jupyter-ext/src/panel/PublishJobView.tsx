/**
 * A publish job in the data panel: its bar, what it is doing (announced to screen readers only
 * when the phase changes, and at the end), its notes (source columns the policy leaves out) and,
 * when the polls stopped before it finished, why, with "Check again".
 */
import * as React from 'react';
import { Button } from '@jupyterlab/ui-components';
import type { PublishJob } from '@privet/core';
import { ErrorBox, toErrorInfo, type ErrorInfo } from './ErrorBox.js';
import { isJobLost, publishAnnouncement, publishSummary } from './publish-follow.js';

/** Why following a job stopped while it was still running, and whether asking again may help. */
export interface Stalled {
  error: ErrorInfo;
  canCheckAgain: boolean;
}

/** The Stalled of a job whose polls failed `MAX_POLL_FAILURES` times in a row (or was forgotten). */
export function stalledBy(error: unknown): Stalled {
  const info = toErrorInfo(error);
  if (isJobLost(error)) return { error: info, canCheckAgain: false };
  return {
    error: {
      message: `Lost track of the publish job: ${info.message}`,
      fix: `${info.fix ? `${info.fix}; then ` : ''}choose Check again to see how it went (the gateway may still be publishing)`,
    },
    canCheckAgain: true,
  };
}

/** A job still running when following it stopped (after an hour of polls). */
export const STILL_RUNNING: Stalled = {
  error: {
    message: 'The gateway is still publishing after an hour',
    fix: 'choose Check again to see how far it got',
  },
  canCheckAgain: true,
};

/** True while a job is followed (Publish disabled); false once it ended or following stopped. */
export function isPublishing(job: PublishJob | null, stalled: Stalled | null): boolean {
  return job?.state === 'running' && stalled === null;
}

/** Where the publish box is, for its "Publish views…" button. */
export interface PublishBoxState {
  /** The request that starts a job is in flight. */
  starting: boolean;
  /** A job is followed (isPublishing). */
  publishing: boolean;
  /** The plan is being fetched. */
  planning: boolean;
  /** A plan is shown, waiting for Publish or Cancel. */
  planned: boolean;
}

/** The "Publish views…" button: disabled (saying why) from the plan until the job ended. */
export function publishButton(state: PublishBoxState): { disabled: boolean; label: string } {
  if (state.starting) return { disabled: true, label: 'Starting…' };
  if (state.publishing) return { disabled: true, label: 'Publishing…' };
  if (state.planning) return { disabled: true, label: 'Checking the cost…' };
  return { disabled: state.planned, label: 'Publish views…' };
}

/**
 * The job's notes, e.g. "source `people`: 1 column in people.csv is not in the policy and is never
 * loaded: `notes` — …": column names only (the gateway escapes and caps them), as plain text.
 */
export function PublishNotes(props: { notes: readonly string[] | undefined }): JSX.Element | null {
  if (!props.notes?.length) return null;
  return (
    <ul className="jp-Privet-hint jp-Privet-publishNotes" aria-label="Notes on the sources">
      {props.notes.map((note, i) => (
        <li key={i}>{note}</li>
      ))}
    </ul>
  );
}

/** A job's progress bar, its summary (and a live region that announces phases), notes and errors. */
export function PublishJobView(props: {
  job: PublishJob;
  stalled: Stalled | null;
  onCheckAgain: () => void;
}): JSX.Element {
  const { job, stalled } = props;
  return (
    <div className="jp-Privet-publishJob" data-state={stalled ? 'stalled' : job.state}>
      <progress
        max={1}
        value={job.progress.fraction}
        aria-label="Publishing progress"
        aria-valuetext={`${Math.round(100 * job.progress.fraction)}%`}
      />
      <span className="jp-Privet-status" aria-hidden="true">
        {publishSummary(job)}
      </span>
      <span className="jp-Privet-srOnly" aria-live="polite">
        {publishAnnouncement(job)}
      </span>
      <PublishNotes notes={job.notes} />
      {job.error ? <ErrorBox error={{ message: job.error.message, fix: job.error.fix }} /> : null}
      {stalled ? (
        <>
          <ErrorBox error={stalled.error} />
          {stalled.canCheckAgain ? (
            <Button small onClick={props.onCheckAgain}>
              Check again
            </Button>
          ) : null}
        </>
      ) : null}
    </div>
  );
}
