/**
 * React hooks that follow a Lumino signal's value: the session's sign-in and restore problem
 * (the data panel, the review queue and the budget sidebar read them).
 */
import * as React from 'react';
import type { ISignal } from '@lumino/signaling';
import type { PrivetSession, RestoreProblem, SignedIn } from '../session.js';

/** The value `read()` gives now, read again (re-rendering) whenever `signal` emits. */
export function useSignalValue<S, T>(signal: ISignal<S, T>, read: () => T): T {
  const [value, setValue] = React.useState(read);
  const latest = React.useRef(read);
  latest.current = read;
  React.useEffect(() => {
    const onChange = (_: S, next: T): void => setValue(() => next);
    signal.connect(onChange);
    setValue(() => latest.current()); // it may have changed before the effect connected
    return () => {
      signal.disconnect(onChange);
    };
  }, [signal]);
  return value;
}

/** Who is signed in to the session, following its changes. */
export function useSignedIn(session: PrivetSession): SignedIn | null {
  return useSignalValue(session.changed, () => session.signedIn);
}

/** Why the session's kept sign-in could not be restored (null: no problem), following it. */
export function useRestoreProblem(session: PrivetSession): RestoreProblem | null {
  return useSignalValue(session.restoreProblemChanged, () => session.restoreProblem);
}
