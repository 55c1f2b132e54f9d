/**
 * The reviewer queue: requests from GET /reviews (pending first, or all), each as a ReviewCard.
 * Reloads on sign-in, on every tick of its widget (while visible) and after each decision. A
 * reload that fails keeps the cards (and the comments typed and outputs opened in them) with the
 * error above them, until a reload works.
 */
import * as React from 'react';
import type { ReviewDecision } from '@privet/core/protocol';
import { LoadStatus } from '../panel/LoadStatus.js';
import { RetryButton } from '../panel/RetryButton.js';
import { StaleNotice } from '../panel/StaleNotice.js';
import { refreshErrorOf, useGatewayLoad } from '../panel/useGatewayLoad.js';
import { useSignedIn } from '../panel/useSignalValue.js';
import type { PrivetSession } from '../session.js';
import { ReviewCard } from './ReviewCard.js';

/** Props of the queue's React tree. */
export interface ReviewQueueAppProps {
  session: PrivetSession;
  /** Changes whenever the widget asks for a reload. */
  tick: number;
}

/** The queue of review requests for a signed-in reviewer. */
export function ReviewQueueApp(props: ReviewQueueAppProps): JSX.Element {
  const signedIn = useSignedIn(props.session);
  const [onlyPending, setOnlyPending] = React.useState(true);
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

  const decide = async (id: string, decision: ReviewDecision, comment: string): Promise<void> => {
    await signedIn.client.decideReview(id, comment ? { decision, comment } : { decision });
    reload();
  };

  return (
    <div className="jp-Privet-panel">
      <h2 className="jp-Privet-title">Review queue</h2>
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
      <StaleNotice error={refreshErrorOf(load)} what="the review requests" />
      <LoadStatus
        load={load}
        loading="Loading review requests…"
        empty={`No ${onlyPending ? 'pending ' : ''}review requests.`}
        onRetry={reload}
      />
      <ul className="jp-Privet-reviews">
        {(load.state === 'ready' ? load.value : []).map((r) => (
          <ReviewCard
            key={r.id}
            review={r}
            me={signedIn.user.user}
            decide={decide}
            loadOutput={(id) => signedIn.client.reviewOutput(id)}
          />
        ))}
      </ul>
    </div>
  );
}
