/**
 * The experiment record in the right sidebar: purpose, lifecycle state and its history,
 * approvals, reviews and exports, from GET /experiments/:id/audit and GET /reviews. Each audit
 * entry's hash is recomputed here (core's hashEntry), so the record shown is checked, not trusted.
 */
import * as React from 'react';
import type { ReviewRequest } from '@privet/core/protocol';
import { hashEntry, type AuditEntry } from '@privet/core/record/index';
import type { Experiment } from '../experiment.js';
import { toErrorInfo, type ErrorInfo } from '../panel/ErrorBox.js';
import { LoadStatus, loadOf } from '../panel/LoadStatus.js';
import type { SignedIn } from '../session.js';

/** Props of the record section. */
export interface RecordAppProps {
  signedIn: SignedIn;
  experiment: Experiment;
  /** Changes whenever the sidebar reloads. */
  tick: number;
}

interface Loaded {
  entries: AuditEntry[];
  verified: number;
  reviews: ReviewRequest[];
}

/** Recomputes each entry's hash; returns how many match. */
async function verifiedCount(entries: AuditEntry[]): Promise<number> {
  let ok = 0;
  for (const { hash, ...body } of entries) if ((await hashEntry(body)) === hash) ok += 1;
  return ok;
}

/**
 * Loads the audit entries (verified) and the review requests of the experiment, on every tick
 * and retry; another experiment or user starts from nothing known (not the last one's record).
 */
function useRecord(props: RecordAppProps): [Loaded | null, ErrorInfo | null, () => void] {
  const [loaded, setLoaded] = React.useState<Loaded | null>(null);
  const [error, setError] = React.useState<ErrorInfo | null>(null);
  const [retries, setRetries] = React.useState(0);
  const { signedIn, experiment, tick } = props;
  React.useEffect(() => {
    setLoaded(null);
    setError(null);
  }, [signedIn, experiment.id]);
  React.useEffect(() => {
    let live = true;
    const client = signedIn.client;
    Promise.all([
      client.experimentAudit(experiment.id),
      client.listReviews({ experiment: experiment.id }).catch(() => ({ reviews: [] })),
    ])
      .then(async ([audit, reviews]) => {
        const verified = await verifiedCount(audit.entries);
        if (live) {
          setLoaded({ entries: audit.entries, verified, reviews: reviews.reviews });
          setError(null);
        }
      })
      .catch((e: unknown) => live && setError(toErrorInfo(e)));
    return () => {
      live = false;
    };
  }, [signedIn, experiment.id, tick, retries]);
  return [loaded, error, () => setRetries((n) => n + 1)];
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

/** The experiment record. */
export function RecordApp(props: RecordAppProps): JSX.Element {
  const { experiment } = props;
  const [loaded, error, retry] = useRecord(props);
  const load = loadOf(loaded, error);
  const ready = load.state === 'ready'; // "No …" only after a load that succeeded
  const entries = loaded?.entries ?? [];
  const history = entries.filter((e) => e.action.startsWith('experiment.'));
  const exports = entries.filter((e) => e.action === 'export' || e.action === 'export.refused');
  const reviews = loaded?.reviews ?? [];
  return (
    <section className="jp-Privet-record" aria-label="Experiment record">
      <h3 className="jp-Privet-heading">Experiment record</h3>
      <div className="jp-Privet-recordPurpose">Purpose: {experiment.purpose}</div>
      <div className="jp-Privet-recordState">
        State: <strong>{experiment.state}</strong>
        {experiment.decidedBy ? ` · decided by ${experiment.decidedBy}` : ''}
      </div>
      {loaded ? (
        <div className="jp-Privet-recordVerified" data-ok={loaded.verified === entries.length}>
          {loaded.verified} of {entries.length} audit entries verified (hash recomputed)
        </div>
      ) : null}
      <LoadStatus
        load={loadOf(loaded ? entries : null, error)}
        loading="Loading the experiment record…"
        empty="Nothing is recorded for this experiment yet."
        onRetry={retry}
      />
      <h4 className="jp-Privet-subheading">History</h4>
      <ul className="jp-Privet-recordList">
        {history.map((e) => (
          <EntryLine key={e.hash} entry={e} />
        ))}
      </ul>
      <h4 className="jp-Privet-subheading">Reviews</h4>
      {ready && reviews.length === 0 ? <p className="jp-Privet-hint">No review requests.</p> : null}
      <ul className="jp-Privet-recordList">
        {reviews.map((r) => (
          <li key={r.id} className="jp-Privet-recordReview" data-state={r.state}>
            <code>{r.id.slice(0, 8)}</code> · {r.requester} · {r.state.replace('_', ' ')}
            {r.decidedBy ? ` by ${r.decidedBy}` : ''}
          </li>
        ))}
      </ul>
      <h4 className="jp-Privet-subheading">Exports</h4>
      {ready && exports.length === 0 ? <p className="jp-Privet-hint">No exports.</p> : null}
      <ul className="jp-Privet-recordList">
        {exports.map((e) => (
          <EntryLine key={e.hash} entry={e} />
        ))}
      </ul>
    </section>
  );
}
