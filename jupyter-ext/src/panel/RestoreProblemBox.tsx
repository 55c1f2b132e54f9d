/**
 * Above the sign-in form: why the sign-in this tab keeps could not be restored (e.g. the gateway
 * was down when the page loaded) and a Retry that resumes it, instead of an empty form that
 * suggests the sign-in was lost. Retry uses the gateway URL the settings name now; the box stays
 * (focus on Retry, "Retrying…") until the sign-in is restored, and says when a retry failed.
 */
import * as React from 'react';
import type { PrivetSession, SignedIn } from '../session.js';
import { ErrorBox } from './ErrorBox.js';
import { RetryButton } from './RetryButton.js';
import { useRestoreProblem } from './useSignalValue.js';

/** Props of RestoreProblemBox. */
export interface RestoreProblemBoxProps {
  session: PrivetSession;
  /** The gateway URL of the settings now: Retry resumes with it. */
  gatewayUrl: string;
  /** Told how each Retry ended: the user signed in, or null (the box says why, if it stays). */
  onRetried?: (signedIn: SignedIn | null) => void;
}

/** What the box announces after a Retry that did not restore the sign-in. */
export const RETRY_FAILED_TEXT = 'Retry did not restore your sign-in; the message above says why.';

/** The restore problem with its Retry, or nothing when the last restore had none. */
export function RestoreProblemBox(props: RestoreProblemBoxProps): JSX.Element | null {
  const problem = useRestoreProblem(props.session);
  const [retrying, setRetrying] = React.useState(false);
  const [outcome, setOutcome] = React.useState('');
  const live = React.useRef(true);
  React.useEffect(() => {
    live.current = true;
    return () => {
      live.current = false;
    };
  }, []);
  if (!problem) return null;
  const retry = (): void => {
    setRetrying(true);
    setOutcome('');
    props.session
      .retryRestore(props.gatewayUrl)
      .catch(() => null) // a failure sets the problem again
      .then((signedIn) => {
        props.onRetried?.(signedIn);
        if (!live.current) return;
        setRetrying(false);
        if (!signedIn) setOutcome(RETRY_FAILED_TEXT);
      });
  };
  return (
    <div className="jp-Privet-restoreProblem">
      <ErrorBox error={problem} />
      <RetryButton accept busy={retrying} onClick={retry} />
      <span className="jp-Privet-srOnly" role="status">
        {retrying ? 'Retrying…' : outcome}
      </span>
    </div>
  );
}
