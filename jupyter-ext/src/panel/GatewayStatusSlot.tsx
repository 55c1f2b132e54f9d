/**
 * Where a panel shows the shared gateway status (gateway-status-model.ts), under its heading: the
 * message with its one Retry (or the sign-in form) when this panel tells it; a one-line pointer to
 * the panel that does when lists of this one are covered by it; else nothing. When the message
 * goes away because its Retry or sign-in worked, the control that had focus is gone with it: focus
 * moves to `focusTarget` (the panel's heading, over what just loaded) instead of falling to the
 * page, and `announce` says what happened in the panel's live region.
 */
import * as React from 'react';
import type { PrivetSession } from '../session.js';
import { GatewayStatus } from './GatewayStatus.js';
import { whatText } from './gateway-problem.js';
import type { HostView } from './gateway-status-model.js';
import { useLayoutEffect, useStatusModel, type StatusScope } from './useGatewayStatus.js';

/** Props of GatewayStatusSlot. */
export interface GatewayStatusSlotProps {
  scope: StatusScope;
  session: PrivetSession;
  /** Gets focus when the message goes away after its Retry or sign-in worked. */
  focusTarget: React.RefObject<HTMLElement>;
  /** Says `text` in the panel's live region. */
  announce: (text: string) => void;
}

/** What the user last did in the message: Retry (until its reload ends) or a new sign-in. */
type Acted = { kind: 'retry'; what: string[]; sawBusy: boolean } | { kind: 'signIn' };

/** What the panel announces once a Retry brought back every list the message was about. */
export function reloadedText(what: readonly string[]): string {
  return `Reloaded the ${whatText(what)}: the Privet gateway answers again.`;
}

/** The pointer a panel shows when another panel tells the message. */
export function pointerText(view: Extract<HostView, { kind: 'pointer' }>): string {
  if (view.problem.cause === 'refused') {
    return `Sign-in no longer accepted — see the message in ${view.hostTitle}.`;
  }
  const stale = view.problem.stale ? ' What is shown here may be out of date.' : '';
  return `Gateway unreachable — see the message and Retry in ${view.hostTitle}.${stale}`;
}

/** The element that has focus (null or the page's body: none). */
function activeElement(): unknown {
  return typeof document === 'undefined' ? null : document.activeElement;
}

/** True when focus fell to the page: on its body, or nowhere (the focused element left). */
function focusLost(): boolean {
  const active = activeElement();
  return active === null || active === undefined || active === document.body;
}

/** True when `node` is `root` or inside it. */
function isInside(root: Node | null, node: unknown): boolean {
  for (let n = node as Node | null; root && n; n = n.parentNode) if (n === root) return true;
  return false;
}

/** The shared gateway status as this panel shows it. */
export function GatewayStatusSlot(props: GatewayStatusSlotProps): JSX.Element | null {
  const { scope, session } = props;
  useStatusModel(scope.model);
  const view = scope.model.viewFor(scope.host);
  const box = React.useRef<HTMLDivElement>(null);
  const acted = React.useRef<Acted | null>(null);
  /** Whether the message was shown at the last render, and focus in it then. */
  const shown = React.useRef<{ focusInside: boolean } | null>(null);
  const latest = React.useRef(props);
  latest.current = props;

  useLayoutEffect(() => {
    if (view.kind === 'full') {
      const did = acted.current;
      if (did?.kind === 'retry' && view.busy) did.sawBusy = true;
      else if (did?.kind === 'retry' && did.sawBusy) acted.current = null; // it failed again
      shown.current = { focusInside: isInside(box.current, activeElement()) };
      return;
    }
    const was = shown.current;
    const did = acted.current;
    shown.current = null;
    acted.current = null;
    if (!was || view.kind !== 'none') return;
    const { focusTarget, announce } = latest.current;
    // Focus was on Retry or the form (or the user acted there): it fell to the page with them.
    if ((did || was.focusInside) && focusLost()) focusTarget.current?.focus();
    if (!did) return; // it went by itself (e.g. a poll worked): nothing to announce
    if (did.kind === 'signIn') {
      const name = session.signedIn?.user.name;
      if (name) announce(`Signed in again as ${name}.`);
    } else if (!scope.model.anyGatewayError()) {
      announce(reloadedText(did.what));
    }
  });

  if (view.kind === 'pointer') {
    return <p className="jp-Privet-gatewayPointer">{pointerText(view)}</p>;
  }
  if (view.kind !== 'full') return null;
  const { problem } = view;
  const retry = (): void => {
    acted.current = { kind: 'retry', what: problem.what, sawBusy: false };
    scope.model.retry(scope.host);
  };
  const signIn = async (url: string, token: string): Promise<void> => {
    acted.current = { kind: 'signIn' };
    try {
      await session.signIn(url, token);
    } catch (error) {
      acted.current = null;
      throw error;
    }
  };
  return (
    <div ref={box}>
      <GatewayStatus
        problem={problem}
        gatewayUrl={session.signedIn?.client.baseUrl ?? ''}
        onRetry={retry}
        busy={view.busy}
        onSignIn={signIn}
      />
    </div>
  );
}
