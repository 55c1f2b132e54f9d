/**
 * What a sign-in link (`#privet-token=…`) asks when this tab is already signed in as someone else,
 * or when it names someone other than the user this browser last signed in as. JupyterLab
 * dialogs, so keyboard use and theme are JupyterLab's own; Escape and a click outside always
 * decline, and only the explicit "Sign in as …" button signs in.
 */
import * as React from 'react';
import { Dialog, showDialog } from '@jupyterlab/apputils';
import type { WhoAmIResponse } from '@privet/core/protocol';
import type { LinkSignInPrompt, SignedIn } from '../session.js';
import { toErrorInfo } from './ErrorBox.js';

/** A user as the panel names them: display name, then login and roles. */
function Who(props: { user: WhoAmIResponse }): JSX.Element {
  const { user } = props;
  return (
    <>
      <strong>{user.name}</strong> ({user.user}&nbsp;·&nbsp;{user.roles.join(', ')})
    </>
  );
}

/** Short names for the buttons, with the logins added when the display names are the same. */
function buttonNames(current: WhoAmIResponse, link: WhoAmIResponse): [string, string] {
  if (current.name !== link.name) return [current.name, link.name];
  return [`${current.name} (${current.user})`, `${link.name} (${link.user})`];
}

/** Asks whether to leave `current` for the link's user; true only for "Sign in as …". */
export async function askSwitchUser(current: SignedIn, link: WhoAmIResponse): Promise<boolean> {
  const [keep, next] = buttonNames(current.user, link);
  const result = await showDialog({
    title: 'Switch Privet user?',
    body: (
      <div className="jp-Privet-linkDialog">
        <p>
          This page was opened with a Privet sign-in link for <Who user={link} />, but this tab is
          signed in as <Who user={current.user} />.
        </p>
        <p>
          Switch only if you asked for this link: after switching, your queries, review requests and
          exports go to {link.name}&apos;s account. If you did not expect it, keep {keep}; the
          link&apos;s token is then forgotten.
        </p>
      </div>
    ),
    buttons: [
      Dialog.cancelButton({ label: `Keep ${keep}` }),
      Dialog.warnButton({ label: `Sign in as ${next}` }),
    ],
    defaultButton: 0,
  });
  return result.button.accept;
}

/**
 * Asks whether to sign this tab (nobody signed in) in as the link's user; true only for "Sign in
 * as …". The focused button signs in when nobody has signed in to the gateway in this browser yet
 * (the first link `npm start` printed), and declines when someone else has.
 */
export async function askFirstSignIn(
  link: WhoAmIResponse,
  lastUser: string | null,
): Promise<boolean> {
  const result = await showDialog({
    title: 'Sign in to Privet?',
    body: (
      <div className="jp-Privet-linkDialog">
        <p>
          This page was opened with a Privet sign-in link for <Who user={link} />.
          {lastUser !== null && (
            <>
              {' '}
              In this browser you last signed in as <strong>{lastUser}</strong>.
            </>
          )}
        </p>
        <p>
          Sign in only if this is you, or you asked for this link: your queries, review requests and
          exports then go to {link.name}&apos;s account. Otherwise choose Don&apos;t sign in; the
          link&apos;s token is then forgotten.
        </p>
      </div>
    ),
    buttons: [
      Dialog.cancelButton({ label: "Don't sign in" }),
      Dialog.okButton({ label: `Sign in as ${link.name}` }),
    ],
    defaultButton: lastUser === null ? 1 : 0,
  });
  return result.button.accept;
}

/** Tells the user the gateway refused the link's token and nothing changed. */
export async function tellLinkRefused(current: SignedIn, error: unknown): Promise<void> {
  const { message } = toErrorInfo(error);
  await showDialog({
    title: 'Sign-in link refused',
    body: (
      <div className="jp-Privet-linkDialog">
        <p>
          The Privet gateway refused the token in the link this page was opened with ({message}).
        </p>
        <p>
          You are still signed in as <Who user={current.user} />; nothing was changed. To sign in
          with that link, ask whoever sent it for a current one.
        </p>
      </div>
    ),
    buttons: [Dialog.okButton({ label: 'OK' })],
  });
}

/** The prompt the session uses; dialogs wait for `ready` (JupyterLab restored) to keep focus. */
export function linkSignInPrompt(ready: Promise<unknown>): LinkSignInPrompt {
  return {
    confirmSwitch: async (current, link) => {
      await ready;
      return askSwitchUser(current, link);
    },
    confirmFirst: async (link, lastUser) => {
      await ready;
      return askFirstSignIn(link, lastUser);
    },
    refused: async (current, error) => {
      await ready;
      await tellLinkRefused(current, error);
    },
  };
}
