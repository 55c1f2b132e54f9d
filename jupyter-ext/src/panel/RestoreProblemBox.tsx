/**
 * Above the sign-in form: why the sign-in this tab keeps could not be restored (e.g. the gateway
 * was down when the page loaded) and a Retry that resumes it, instead of an empty form that
 * suggests the sign-in was lost.
 */
import * as React from 'react';
import type { PrivetSession, RestoreProblem } from '../session.js';
import { ErrorBox } from './ErrorBox.js';

/** Follows the session's restore problem. */
function useRestoreProblem(session: PrivetSession): RestoreProblem | null {
  const [problem, setProblem] = React.useState(session.restoreProblem);
  React.useEffect(() => {
    const onChange = (_: PrivetSession, value: RestoreProblem | null): void => setProblem(value);
    session.restoreProblemChanged.connect(onChange);
    setProblem(session.restoreProblem);
    return () => {
      session.restoreProblemChanged.disconnect(onChange);
    };
  }, [session]);
  return problem;
}

/** The restore problem with its Retry, or nothing when the last restore had none. */
export function RestoreProblemBox(props: { session: PrivetSession }): JSX.Element | null {
  const problem = useRestoreProblem(props.session);
  const [retrying, setRetrying] = React.useState(false);
  if (!problem) return null;
  const retry = (): void => {
    setRetrying(true);
    props.session
      .retryRestore()
      .catch(() => null) // a failure sets the problem again
      .finally(() => setRetrying(false));
  };
  return (
    <div className="jp-Privet-restoreProblem">
      <ErrorBox error={problem} />
      <button
        type="button"
        className="jp-Button jp-mod-styled jp-mod-accept"
        disabled={retrying}
        onClick={retry}
      >
        {retrying ? 'Retrying…' : 'Retry'}
      </button>
    </div>
  );
}
