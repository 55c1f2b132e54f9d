/**
 * The reviewer queue: requests from GET /reviews (pending first, or all), each as a ReviewCard.
 * Reloads on sign-in, on every tick of its widget (while visible) and after each decision.
 */
import * as React from 'react';
import type { ReviewDecision, ReviewRequest } from '@privet/core/protocol';
import { toErrorInfo, type ErrorInfo } from '../panel/ErrorBox.js';
import { LoadStatus, loadOf } from '../panel/LoadStatus.js';
import type { PrivetSession, SignedIn } from '../session.js';
import { ReviewCard } from './ReviewCard.js';

/** Props of the queue's React tree. */
export interface ReviewQueueAppProps {
  session: PrivetSession;
  /** Changes whenever the widget asks for a reload. */
  tick: number;
}

/** Follows the session's sign-in state. */
function useSignedIn(session: PrivetSession): SignedIn | null {
  const [signedIn, setSignedIn] = React.useState(session.signedIn);
  React.useEffect(() => {
    const onChange = (_: unknown, value: SignedIn | null): void => setSignedIn(value);
    session.changed.connect(onChange);
    return () => {
      session.changed.disconnect(onChange);
    };
  }, [session]);
  return signedIn;
}

/** The queue of review requests for a signed-in reviewer. */
export function ReviewQueueApp(props: ReviewQueueAppProps): JSX.Element {
  const signedIn = useSignedIn(props.session);
  const [onlyPending, setOnlyPending] = React.useState(true);
  const [reviews, setReviews] = React.useState<ReviewRequest[] | null>(null);
  const [error, setError] = React.useState<ErrorInfo | null>(null);
  const [reloads, setReloads] = React.useState(0);
  const isReviewer = signedIn?.user.roles.includes('reviewer') ?? false;

  // Another user or filter: what is shown is not known until its list is in.
  React.useEffect(() => {
    setReviews(null);
    setError(null);
  }, [signedIn, onlyPending]);
  React.useEffect(() => {
    if (!signedIn || !isReviewer) return;
    let live = true;
    signedIn.client.listReviews(onlyPending ? { state: 'pending' } : {}).then(
      (r) => {
        if (!live) return;
        setReviews(r.reviews);
        setError(null);
      },
      (e: unknown) => live && setError(toErrorInfo(e)),
    );
    return () => {
      live = false;
    };
  }, [signedIn, isReviewer, onlyPending, props.tick, reloads]);

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
    setReloads((n) => n + 1);
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
        <button
          type="button"
          className="jp-Button jp-mod-styled jp-mod-minimal"
          onClick={() => setReloads((n) => n + 1)}
        >
          Refresh
        </button>
      </div>
      <LoadStatus
        load={loadOf(reviews, error)}
        loading="Loading review requests…"
        empty={`No ${onlyPending ? 'pending ' : ''}review requests.`}
        onRetry={() => setReloads((n) => n + 1)}
      />
      <ul className="jp-Privet-reviews">
        {(reviews ?? []).map((r) => (
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
