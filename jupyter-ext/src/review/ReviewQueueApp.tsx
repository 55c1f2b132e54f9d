/**
 * The reviewer queue: requests from GET /reviews (pending first, or all), each as a ReviewCard.
 * Reloads on sign-in, on every tick of its widget (while visible) and after each decision. A
 * reload that fails keeps the cards (and the comments typed and outputs opened in them) with the
 * error above them, until a reload works. After a decision, a polite status line says what was
 * decided for whose request (never any of its output), and once the list is reloaded focus moves
 * to the next card's heading (the list's heading when no other card is left): the decided card
 * leaves the pending list, or loses its buttons, so focus would otherwise fall to the page.
 */
import * as React from 'react';
import type { ReviewDecision, ReviewRequest } from '@privet/core/protocol';
import { showsOwnNote } from '../panel/gateway-problem.js';
import { REVIEW_QUEUE_HOST } from '../panel/gateway-status-model.js';
import { GatewayStatusSlot } from '../panel/GatewayStatusSlot.js';
import { LoadStatus } from '../panel/LoadStatus.js';
import { RetryButton } from '../panel/RetryButton.js';
import { StaleNotice } from '../panel/StaleNotice.js';
import { refreshErrorOf, useGatewayLoad } from '../panel/useGatewayLoad.js';
import { useReportLoad, useStatusHost } from '../panel/useGatewayStatus.js';
import { useSignedIn } from '../panel/useSignalValue.js';
import type { PrivetSession } from '../session.js';
import { ReviewCard } from './ReviewCard.js';

/** Props of the queue's React tree. */
export interface ReviewQueueAppProps {
  session: PrivetSession;
  /** Changes whenever the widget asks for a reload. */
  tick: number;
}

/** What the status line says once `decision` on `requester`'s request `id` went through. */
export function decisionOutcome(
  decision: ReviewDecision,
  requester: string | undefined,
  id: string,
): string {
  const whose = requester ? `${requester}'s request ${id}` : `request ${id}`;
  if (decision === 'approve') return `Approved ${whose}.`;
  if (decision === 'reject') return `Rejected ${whose}.`;
  return `Requested changes to ${whose}.`;
}

/**
 * The card whose heading gets focus after the card `decided` (shown at `index` before) was
 * decided: the one after it in `reviews`, else the last other one; null when none is left.
 */
export function nextAfterDecision(
  reviews: readonly ReviewRequest[],
  decided: string,
  index: number,
): string | null {
  const at = reviews.findIndex((r) => r.id === decided);
  const after = reviews.slice(at >= 0 ? at + 1 : Math.max(index, 0));
  const others = reviews.filter((r) => r.id !== decided);
  return after[0]?.id ?? others[others.length - 1]?.id ?? null;
}

/**
 * True when focus was lost (on the page's body, or nowhere: the focused button left the page) or
 * is still inside the card `decided`: moving it then takes it from nobody.
 */
function focusIsLost(decided: string): boolean {
  const active = document.activeElement;
  if (!active || active === document.body) return true;
  for (let node: Node | null = active; node; node = node.parentNode) {
    if ((node as Partial<Element>).getAttribute?.('data-review') === decided) return true;
  }
  return false;
}

/** The queue of review requests for a signed-in reviewer. */
export function ReviewQueueApp(props: ReviewQueueAppProps): JSX.Element {
  const signedIn = useSignedIn(props.session);
  const [onlyPending, setOnlyPending] = React.useState(true);
  const [outcome, setOutcome] = React.useState('');
  /** The card just decided (and where it was shown), until focus has moved after the reload. */
  const decided = React.useRef<{ id: string; index: number } | null>(null);
  const headings = React.useRef(new Map<string, HTMLHeadingElement>());
  const title = React.useRef<HTMLHeadingElement>(null);
  const isReviewer = signedIn?.user.roles.includes('reviewer') ?? false;
  // Another user or filter shows "Loading…" at once; a tick or a decision reloads in place, and
  // a failed reload keeps the cards shown (with the error) so no typed comment is lost.
  const [load, reload] = useGatewayLoad(
    signedIn && isReviewer
      ? async () =>
          (await signedIn.client.listReviews(onlyPending ? { state: 'pending' } : {})).reviews
      : null,
    [signedIn, isReviewer, onlyPending],
    [props.tick],
    { keepOnFailedRefresh: true },
  );
  // An outage the other panels' lists share is told once (GatewayStatusSlot), not here again.
  const status = useStatusHost(props.session, REVIEW_QUEUE_HOST);
  const told = useReportLoad(
    status,
    'review requests',
    signedIn && isReviewer ? load : null,
    reload,
  );

  // Another user: the last one's outcome is not theirs to hear.
  React.useEffect(() => setOutcome(''), [signedIn]);

  // Once the reload after a decision is in (or failed), focus goes where the reviewer goes next.
  React.useEffect(() => {
    const last = decided.current;
    if (!last || load.state === 'loading' || load.state === 'retrying') return;
    if (load.state === 'ready' && load.refreshing === true) return;
    decided.current = null;
    if (!focusIsLost(last.id)) return; // the reviewer went on elsewhere meanwhile
    const next = load.state === 'ready' ? nextAfterDecision(load.value, last.id, last.index) : null;
    const heading = next !== null ? headings.current.get(next) : undefined;
    if (heading) heading.focus();
    else title.current?.focus();
  }, [load]);

  if (!signedIn || !isReviewer) {
    return (
      <div className="jp-Privet-panel">
        <h2 className="jp-Privet-title">Review queue</h2>
        <p className="jp-Privet-hint">
          {signedIn
            ? `${signedIn.user.name} is not a reviewer. Sign in with a reviewer's token in the Privet data panel to review outputs.`
            : 'Sign in with a reviewer token in the Privet data panel (left sidebar) to see the review queue.'}
        </p>
      </div>
    );
  }

  const shown = load.state === 'ready' ? load.value : [];
  const decide = async (id: string, decision: ReviewDecision, comment: string): Promise<void> => {
    await signedIn.client.decideReview(id, comment ? { decision, comment } : { decision });
    const index = shown.findIndex((r) => r.id === id);
    setOutcome(decisionOutcome(decision, shown[index]?.requester, id));
    decided.current = { id, index };
    reload();
  };

  return (
    <div className="jp-Privet-panel">
      <h2 className="jp-Privet-title jp-Privet-reviewQueueTitle" tabIndex={-1} ref={title}>
        Review queue
      </h2>
      <div className="jp-Privet-reviewToolbar">
        <label>
          <input
            type="checkbox"
            checked={onlyPending}
            onChange={(e) => setOnlyPending(e.target.checked)}
          />{' '}
          Pending only
        </label>
        <RetryButton
          label="Refresh"
          busyLabel="Refreshing…"
          busy={load.state === 'ready' && load.refreshing === true}
          onClick={reload}
        />
      </div>
      <p className="jp-Privet-hint jp-Privet-reviewOutcome" role="status" aria-live="polite">
        {outcome}
      </p>
      <GatewayStatusSlot
        scope={status}
        session={props.session}
        focusTarget={title}
        announce={setOutcome}
      />
      <StaleNotice
        error={showsOwnNote(told) ? refreshErrorOf(load) : null}
        what="the review requests"
      />
      <LoadStatus
        load={load}
        loading="Loading review requests…"
        empty={`No ${onlyPending ? 'pending ' : ''}review requests.`}
        onRetry={reload}
        told={told}
        what="The review requests"
      />
      <ul className="jp-Privet-reviews">
        {shown.map((r) => (
          <ReviewCard
            key={r.id}
            review={r}
            me={signedIn.user.user}
            decide={decide}
            loadOutput={(id) => signedIn.client.reviewOutput(id)}
            headingRef={(heading) => {
              if (heading) headings.current.set(r.id, heading);
              else headings.current.delete(r.id);
            }}
          />
        ))}
      </ul>
    </div>
  );
}
