/**
 * One review request as a reviewer sees it: redacted preview with the findings highlighted, the
 * cell's code, views used, experiment purpose, justification and comments, and the decision form
 * (a comment is required to reject, to request changes and to approve a blocked output, as the
 * gateway also enforces).
 */
import * as React from 'react';
import { groupFindings, previewIsPartial } from '@privet/core/review/index';
import type { ReviewDecision, ReviewOutputResponse, ReviewRequest } from '@privet/core/protocol';
import { ErrorBox, toErrorInfo, type ErrorInfo } from '../panel/ErrorBox.js';
import { RedactedPreview } from './Preview.js';
import { WholeOutput } from './WholeOutput.js';

/** Props of one review card. */
export interface ReviewCardProps {
  review: ReviewRequest;
  /** The signed-in reviewer (a reviewer cannot decide their own request). */
  me: string;
  decide: (id: string, decision: ReviewDecision, comment: string) => Promise<void>;
  /** Loads the whole output of a request (GET /reviews/:id/output). */
  loadOutput: (id: string) => Promise<ReviewOutputResponse>;
  /** Receives the card's heading (null once it is gone), which the queue focuses after a decision. */
  headingRef?: (heading: HTMLHeadingElement | null) => void;
}

const DECISIONS: { decision: ReviewDecision; label: string; className: string }[] = [
  { decision: 'approve', label: 'Approve', className: 'jp-mod-accept' },
  { decision: 'request_changes', label: 'Request changes', className: 'jp-mod-reject' },
  { decision: 'reject', label: 'Reject', className: 'jp-mod-warn' },
];

/** Rejecting, requesting changes and approving a blocked output need a comment (as SACRO asks). */
function needsComment(decision: ReviewDecision, review: ReviewRequest): boolean {
  return decision !== 'approve' || review.verdict === 'block';
}

/** A review request with its context and the decision buttons. */
export function ReviewCard(props: ReviewCardProps): JSX.Element {
  const { review } = props;
  const [comment, setComment] = React.useState('');
  const [busy, setBusy] = React.useState(false);
  const [error, setError] = React.useState<ErrorInfo | null>(null);
  const commentId = `privet-review-comment-${review.id}`;
  const pending = review.state === 'pending';
  const own = review.requester === props.me;
  // The preview was cut or cannot show a picture: approving needs the whole output seen first.
  const partial = previewIsPartial(review);
  const [wholeShown, setWholeShown] = React.useState(false);
  const mustOpen = partial && !wholeShown;

  const decide = async (decision: ReviewDecision): Promise<void> => {
    if (needsComment(decision, review) && comment.trim() === '') {
      setError({
        message:
          decision === 'approve'
            ? 'a comment is required to approve a blocked output'
            : 'a comment is required to reject or to request changes',
        fix:
          decision === 'approve'
            ? 'say why releasing it is safe, then click again'
            : 'say what the analyst should change, then click again',
      });
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await props.decide(review.id, decision, comment.trim());
      setComment('');
    } catch (e) {
      setError(toErrorInfo(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <li className="jp-Privet-review" data-review={review.id} data-state={review.state}>
      <h3 className="jp-Privet-reviewHead" tabIndex={-1} ref={props.headingRef}>
        <strong>{review.requester}</strong> · {review.experiment} ·{' '}
        <span className="jp-Privet-reviewVerdict" data-verdict={review.verdict}>
          {review.verdict}
        </span>{' '}
        · <span className="jp-Privet-reviewState">{review.state.replace('_', ' ')}</span>
      </h3>
      <div className="jp-Privet-reviewPurpose">Purpose: {review.experimentPurpose}</div>
      <ul className="jp-Privet-reviewFindings" aria-label="Findings">
        {/* One line per rule, message and part, however many readings found it (×n). */}
        {groupFindings(review.findings).map((f, i) => (
          <li key={i} data-rule={f.rule} data-severity={f.severity}>
            <code>{f.rule}</code> ({f.severity}) in {f.mime}: {f.message}
            {f.count > 1 ? ` ×${f.count}` : ''}
          </li>
        ))}
      </ul>
      {review.redactedPreview ? <RedactedPreview text={review.redactedPreview} /> : null}
      {pending ? (
        <WholeOutput id={review.id} load={props.loadOutput} onShown={() => setWholeShown(true)} />
      ) : null}
      <div className="jp-Privet-reviewLabel">Cell code</div>
      <pre className="jp-Privet-reviewCode">{review.cellSource ?? '(not sent)'}</pre>
      <div className="jp-Privet-reviewMeta">
        Views used: {review.viewsUsed.length > 0 ? review.viewsUsed.join(', ') : 'none named'}
        {review.notebook ? ` · ${review.notebook}` : ''}
        {review.cellIndex !== undefined ? ` · cell ${review.cellIndex + 1}` : ''}
      </div>
      <div className="jp-Privet-reviewJustification">Justification: {review.justification}</div>
      {review.comments.length > 0 ? (
        <ul className="jp-Privet-reviewComments" aria-label="Comments">
          {review.comments.map((c, i) => (
            <li key={i}>
              <strong>{c.author}</strong>: {c.text}
            </li>
          ))}
        </ul>
      ) : null}
      {pending && !own ? (
        <div className="jp-Privet-reviewDecide">
          <label htmlFor={commentId}>Comment</label>
          <textarea
            id={commentId}
            rows={2}
            value={comment}
            onChange={(e) => setComment(e.target.value)}
            placeholder={
              review.verdict === 'block'
                ? 'Required (the output was blocked)'
                : 'Required to reject or request changes'
            }
          />
          {mustOpen ? (
            <div className="jp-Privet-hint jp-Privet-openFirst">
              The preview does not show everything an approval releases (it was cut, or the output
              holds a picture): open “Whole output” before approving.
            </div>
          ) : null}
          <div className="jp-Privet-reviewButtons">
            {DECISIONS.map((d) => (
              <button
                key={d.decision}
                type="button"
                className={`jp-Button jp-mod-styled ${d.className}`}
                disabled={busy || (d.decision === 'approve' && mustOpen)}
                onClick={() => void decide(d.decision)}
              >
                {d.label}
              </button>
            ))}
          </div>
        </div>
      ) : null}
      {pending && own ? (
        <div className="jp-Privet-hint">Your own request: another reviewer must decide it.</div>
      ) : null}
      {review.decidedBy ? (
        <div className="jp-Privet-hint">
          Decided by {review.decidedBy}
          {review.decidedAt ? ` at ${review.decidedAt}` : ''}
        </div>
      ) : null}
      <ErrorBox error={error} />
    </li>
  );
}
