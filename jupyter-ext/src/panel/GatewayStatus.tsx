/**
 * One message for a problem the whole data panel shares (gateway-problem.ts), under the signed-in
 * line: the gateway could not be reached, with one Retry for every list; or it no longer accepts
 * this sign-in, with the sign-in form to paste a new token (the panel does not sign out silently).
 */
import * as React from 'react';
import { ErrorBox } from './ErrorBox.js';
import type { GatewayProblem } from './gateway-problem.js';
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
  /** Loads every list again (an unreachable gateway). */
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
  const error = {
    message: `Could not refresh the experiments and views: ${problem.error.message}`,
    fix: problem.error.fix,
  };
  return (
    <div className="jp-Privet-gatewayStatus" data-cause="unreachable" role="status">
      <ErrorBox error={error} />
      <p className="jp-Privet-hint">
        The experiments and views shown are from the last refresh that worked and may be out of
        date. This note goes away once a refresh works again.
      </p>
      <RetryButton busy={props.busy} onClick={props.onRetry} />
    </div>
  );
}
