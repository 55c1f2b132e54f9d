/**
 * Who may decide a review request (four eyes), what a decision needs, and the service's refusals.
 * Messages name users, requests and experiments, never output content.
 */
import type { Finding, Policy, ReviewDecisionRequest } from '@privet/core';
import type { Experiment } from '@privet/core/record/index';
import { previewIsPartial } from '@privet/core/review/index';
import { ServiceError } from '../audit/service-error.js';
import { hasRole, isMember, type Actor } from '../experiments/access.js';
import type { ReviewRow } from './schema.js';

/** A 403 with a stable reason. */
export function forbidden(reason: string, message: string, fix: string): ServiceError {
  return new ServiceError('forbidden', reason, message, fix);
}

/** The experiment does not exist or is not visible to the user. */
export function experimentNotFound(experiment: string, user?: string): ServiceError {
  return new ServiceError(
    'not_found',
    'experiment.unknown',
    `there is no experiment "${experiment}"${user ? ` visible to ${user}` : ''}`,
    'check the id with GET /api/v1/experiments',
  );
}

/** The request does not exist or is not visible to the user. */
export function reviewNotFound(id: string, user: string): ServiceError {
  return new ServiceError(
    'not_found',
    'review.unknown',
    `there is no review request ${id} visible to ${user}`,
    'list the requests with GET /api/v1/reviews',
  );
}

/** Four eyes: only a reviewer who neither submitted the request nor works in its experiment. */
export function fourEyesRefusal(
  actor: Actor,
  policy: Policy,
  row: ReviewRow,
  e: Experiment | undefined,
): ServiceError | undefined {
  if (!hasRole(actor, policy, 'reviewer'))
    return forbidden(
      'review.role',
      `only a reviewer may decide review requests; ${actor.user} is not one`,
      'ask a reviewer',
    );
  if (row.requester === actor.user)
    return forbidden(
      'review.four-eyes',
      `${actor.user} may not decide review request ${row.id} because they submitted it (four-eyes rule)`,
      'ask another reviewer',
    );
  if (e && isMember(e, actor.user))
    return forbidden(
      'review.four-eyes',
      `${actor.user} may not decide review request ${row.id} because they own or work in experiment "${row.experiment}" (four-eyes rule)`,
      'ask a reviewer who is not part of the experiment',
    );
  return undefined;
}

/**
 * A request of a dissolved experiment takes no decision and no comment: its output is deleted
 * (or will be, at the end of retention), its analysts' access is revoked, and nothing it held can
 * be released any more.
 */
export function dissolvedRefusal(
  row: ReviewRow,
  e: Experiment | undefined,
): ServiceError | undefined {
  if (e?.state !== 'dissolved') return undefined;
  return new ServiceError(
    'conflict',
    'review.experiment-dissolved',
    `review request ${row.id} belongs to experiment "${row.experiment}", which was dissolved: it takes no more decisions or comments`,
    'nothing to do here; to go on with this work, propose a new experiment and submit the output there',
  );
}

/** Why this decision cannot be made on this request now, or undefined when it can. */
export function decisionRefusal(
  row: ReviewRow,
  input: ReviewDecisionRequest,
): ServiceError | undefined {
  if (row.state !== 'pending')
    return new ServiceError(
      'conflict',
      'review.decided',
      `review request ${row.id} was already decided (${row.state})`,
      row.state === 'approved'
        ? 'nothing to do'
        : 'the analyst submits a changed output as a new request',
    );
  const comment = input.comment?.trim() ?? '';
  if (input.decision !== 'approve' && comment === '')
    return new ServiceError(
      'bad_request',
      'review.comment-required',
      `a ${input.decision.replace('_', ' ')} decision needs a comment`,
      'say what is wrong and how to fix it in "comment"',
    );
  if (input.decision === 'approve' && row.verdict === 'block' && comment === '')
    return new ServiceError(
      'bad_request',
      'review.comment-required',
      'approving a blocked output needs a comment',
      'explain in "comment" why releasing it is safe',
    );
  return undefined;
}

/**
 * Approving releases the whole output, so when the redacted preview does not show all of it (cut
 * short, or holding pictures) the approving reviewer must have opened the whole output first —
 * the panels ask for it, and the gateway checks it, as a panel can be bypassed.
 */
export function unreadOutputRefusal(
  row: ReviewRow,
  input: ReviewDecisionRequest,
  readByDecider: boolean,
): ServiceError | undefined {
  if (input.decision !== 'approve' || readByDecider) return undefined;
  const findings = JSON.parse(row.findings) as Finding[];
  if (!previewIsPartial({ redactedPreview: row.redacted_preview, findings })) return undefined;
  return new ServiceError(
    'conflict',
    'review.output-unread',
    `review request ${row.id} cannot be approved yet: its preview does not show the whole output (it is cut short or holds pictures), and you have not opened the whole output`,
    `open it first ("Show the whole output" in the review panel, or GET /api/v1/reviews/${row.id}/output), then approve`,
  );
}
