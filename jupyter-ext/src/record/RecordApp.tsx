/**
 * The experiment record in the right sidebar: purpose, lifecycle state and its history,
 * approvals, reviews and exports, from GET /experiments/:id/audit and GET /reviews. Each audit
 * entry's hash is recomputed here (core's hashEntry), so the record shown is checked, not trusted.
 * A reload that fails keeps what was shown, under a StaleNotice naming what may be out of date.
 */
import * as React from 'react';
import type { ReviewRequest } from '@privet/core/protocol';
import { hashEntry, type AuditEntry } from '@privet/core/record/index';
import type { Experiment } from '../experiment.js';
import type { ErrorInfo } from '../panel/ErrorBox.js';
import { showsOwnNote, type SharedTold } from '../panel/gateway-problem.js';
import { LoadStatus } from '../panel/LoadStatus.js';
import { StaleNotice } from '../panel/StaleNotice.js';
import { refreshErrorOf, useGatewayLoad, type ShownLoad } from '../panel/useGatewayLoad.js';
import { useReportLoad, type StatusScope } from '../panel/useGatewayStatus.js';
import type { SignedIn } from '../session.js';

/** Props of the record section. */
export interface RecordAppProps {
  signedIn: SignedIn;
  experiment: Experiment;
  /** Changes whenever the sidebar reloads. */
  tick: number;
  /** The sidebar's part in the shared gateway status (none: the record tells its own errors). */
  status?: StatusScope | null;
}

/** The experiment's audit entries and how many of their hashes were recomputed equal. */
export interface Audit {
  entries: AuditEntry[];
  verified: number;
}

/** Recomputes each entry's hash; returns how many match. */
async function verifiedCount(entries: AuditEntry[]): Promise<number> {
  let ok = 0;
  for (const { hash, ...body } of entries) if ((await hashEntry(body)) === hash) ok += 1;
  return ok;
}

/**
 * Loads the audit entries (verified) and, apart, the review requests of the experiment, on every
 * tick and retry: a failed review list is shown as failed, not as "No review requests". A failed
 * reload keeps what was loaded (its error as `refreshError`). Another experiment or user starts
 * from nothing known (not the last one's record). Both report to the shared gateway status.
 */
function useRecord(props: RecordAppProps): RecordViewProps {
  const { signedIn, experiment, tick } = props;
  const client = signedIn.client;
  const identity = [signedIn, experiment.id];
  const [audit, retryAudit] = useGatewayLoad(
    async () => {
      const { entries } = await client.experimentAudit(experiment.id);
      return { entries, verified: await verifiedCount(entries) };
    },
    identity,
    [tick],
    { keepOnFailedRefresh: true },
  );
  const [reviews, retryReviews] = useGatewayLoad(
    async () => (await client.listReviews({ experiment: experiment.id })).reviews,
    identity,
    [tick],
    { keepOnFailedRefresh: true },
  );
  const retry = (): void => {
    if (audit.state === 'failed' || refreshErrorOf(audit)) retryAudit();
    if (reviews.state === 'failed' || refreshErrorOf(reviews)) retryReviews();
  };
  const status = props.status ?? null;
  const auditTold = useReportLoad(status, 'experiment record', audit, retryAudit);
  const reviewsTold = useReportLoad(status, 'experiment record', reviews, retryReviews);
  return { experiment, audit, reviews, retry, auditTold, reviewsTold };
}

/** One audit entry as a line: when, who, what. */
function EntryLine(props: { entry: AuditEntry }): JSX.Element {
  const { entry } = props;
  const note = typeof entry.details.note === 'string' ? ` — ${entry.details.note}` : '';
  return (
    <li className="jp-Privet-recordEntry" data-action={entry.action} title={`hash ${entry.hash}`}>
      <span>{new Date(entry.at).toLocaleString()}</span> · <strong>{entry.actor}</strong> ·{' '}
      {entry.action}
      {entry.subject ? ` ${entry.subject}` : ''}
      {note}
    </li>
  );
}

/** The audit's entries that `keep` selects; null until the audit is loaded. */
function entriesOf(audit: ShownLoad<Audit>, keep: (e: AuditEntry) => boolean): AuditEntry[] | null {
  return audit.state === 'ready' ? audit.value.entries.filter(keep) : null;
}

/** A section of audit entries; `empty` only once the audit is loaded and the section has none. */
function EntrySection(props: { entries: AuditEntry[] | null; empty: string }): JSX.Element {
  const { entries } = props;
  return (
    <>
      {entries?.length === 0 ? <p className="jp-Privet-hint">{props.empty}</p> : null}
      <ul className="jp-Privet-recordList">
        {(entries ?? []).map((e) => (
          <EntryLine key={e.hash} entry={e} />
        ))}
      </ul>
    </>
  );
}

/** Props of RecordView: the experiment and what is loaded of its record. */
export interface RecordViewProps {
  experiment: Experiment;
  audit: ShownLoad<Audit>;
  reviews: ShownLoad<ReviewRequest[]>;
  /** Loads again what failed (also a refresh that failed over what is still shown). */
  retry: () => void;
  /** How the audit's failure is told (useReportLoad); its own error and Retry unless given. */
  auditTold?: SharedTold;
  /** How the review list's failure is told, likewise. */
  reviewsTold?: SharedTold;
}

/** The experiment record. */
export function RecordApp(props: RecordAppProps): JSX.Element {
  return <RecordView {...useRecord(props)} />;
}

/**
 * What of the record a failed refresh leaves out of date, and why: the audit (history and
 * exports), the review requests, or both; null when the last refreshes worked or the shared
 * gateway message tells it.
 */
function staleOf(props: RecordViewProps): { what: string; error: ErrorInfo } | null {
  const auditError = showsOwnNote(props.auditTold) ? refreshErrorOf(props.audit) : undefined;
  const reviewsError = showsOwnNote(props.reviewsTold) ? refreshErrorOf(props.reviews) : undefined;
  if (auditError && reviewsError) {
    return { what: 'the history, review requests and exports', error: auditError };
  }
  if (auditError) return { what: 'the history and exports', error: auditError };
  if (reviewsError) return { what: 'the review requests', error: reviewsError };
  return null;
}

/**
 * The record as loaded: each section says loading, failed (with Retry), or that it has none; what
 * a failed refresh left shown is marked, near the top, as possibly out of date.
 */
export function RecordView(props: RecordViewProps): JSX.Element {
  const { experiment, audit, reviews, retry } = props;
  const stale = staleOf(props);
  const refreshing =
    (audit.state === 'ready' && audit.refreshing === true) ||
    (reviews.state === 'ready' && reviews.refreshing === true);
  const history = entriesOf(audit, (e) => e.action.startsWith('experiment.'));
  const exports = entriesOf(audit, (e) => e.action === 'export' || e.action === 'export.refused');
  return (
    <section className="jp-Privet-record" aria-label="Experiment record">
      <h3 className="jp-Privet-heading">Experiment record</h3>
      <div className="jp-Privet-recordPurpose">Purpose: {experiment.purpose}</div>
      <div className="jp-Privet-recordState">
        State: <strong>{experiment.state}</strong>
        {experiment.decidedBy ? ` · decided by ${experiment.decidedBy}` : ''}
      </div>
      <StaleNotice
        error={stale?.error}
        what={stale?.what ?? ''}
        onRetry={retry}
        busy={refreshing}
      />
      {audit.state === 'ready' ? (
        <div
          className="jp-Privet-recordVerified"
          data-ok={audit.value.verified === audit.value.entries.length}
        >
          {audit.value.verified} of {audit.value.entries.length} audit entries verified (hash
          recomputed)
        </div>
      ) : null}
      <LoadStatus
        load={audit.state === 'ready' ? { state: 'ready', value: audit.value.entries } : audit}
        loading="Loading the experiment record…"
        onRetry={retry}
        told={props.auditTold}
        what="The experiment record"
      />
      <h4 className="jp-Privet-subheading">History</h4>
      <EntrySection entries={history} empty="No lifecycle changes are recorded yet." />
      <h4 className="jp-Privet-subheading">Reviews</h4>
      <LoadStatus
        load={reviews}
        loading="Loading review requests…"
        empty="No review requests."
        onRetry={retry}
        told={props.reviewsTold}
        what="The review requests"
      />
      <ul className="jp-Privet-recordList">
        {(reviews.state === 'ready' ? reviews.value : []).map((r) => (
          <li key={r.id} className="jp-Privet-recordReview" data-state={r.state}>
            <code>{r.id.slice(0, 8)}</code> · {r.requester} · {r.state.replace('_', ' ')}
            {r.decidedBy ? ` by ${r.decidedBy}` : ''}
          </li>
        ))}
      </ul>
      <h4 className="jp-Privet-subheading">Exports</h4>
      <EntrySection entries={exports} empty="No exports." />
    </section>
  );
}
