/**
 * One message for a problem every Privet panel's lists share (gateway-problem.ts), at the top of
 * the one panel that tells it (GatewayStatusSlot.tsx): the gateway could not be reached, with one
 * Retry for every list; or it no longer accepts this sign-in, with the sign-in form to paste a new
 * token (the panels do not sign out silently).
 */
import * as React from 'react';
import { ErrorBox } from './ErrorBox.js';
import { whatText, type GatewayProblem } from './gateway-problem.js';
import { RetryButton } from './RetryButton.js';
import { SignInForm } from './SignInForm.js';

/** What the panel says when the gateway refused the sign-in it holds (a 401). */
export const REFUSED_TEXT =
  'The gateway no longer accepts this sign-in: it may have restarted with new tokens, or your token expired or was revoked.';

/** How to fix a refused sign-in. */
export const REFUSED_FIX =
  'paste a new token below, or open a new sign-in link (ask your steward for one if you have none)';

/** Props of GatewayStatus. */
export interface GatewayStatusProps {
  problem: GatewayProblem;
  /** The gateway the refused sign-in was for (the form's URL). */
  gatewayUrl: string;
  /** Loads every list it covers again (an unreachable gateway). */
  onRetry: () => void;
  /** True while that retry runs. */
  busy: boolean;
  /** Signs in with a new token (a refused sign-in). */
  onSignIn: (gatewayUrl: string, token: string) => Promise<void>;
}

/** The shared gateway problem: what happened, how to fix it, and the one control that does. */
export function GatewayStatus(props: GatewayStatusProps): JSX.Element {
  const { problem } = props;
  if (problem.cause === 'refused') {
    return (
      <div className="jp-Privet-gatewayStatus" data-cause="refused">
        <ErrorBox error={{ message: REFUSED_TEXT, fix: REFUSED_FIX }} />
        <SignInForm gatewayUrl={props.gatewayUrl} onSignIn={props.onSignIn} />
      </div>
    );
  }
  const what = whatText(problem.what);
  const error = {
    message: `Could not ${problem.stale ? 'refresh' : 'load'} the ${what}: ${problem.error.message}`,
    fix: problem.error.fix,
  };
  return (
    <div className="jp-Privet-gatewayStatus" data-cause="unreachable" role="status">
      <ErrorBox error={error} />
      <p className="jp-Privet-hint">
        {problem.stale
          ? `What is shown of the ${what} is from the last refresh that worked and may be out of date. `
          : 'The panels try again on their own while they are shown; Retry tries now. '}
        This note goes away once the gateway answers again.
      </p>
      <RetryButton busy={props.busy} onClick={props.onRetry} />
    </div>
  );
}
