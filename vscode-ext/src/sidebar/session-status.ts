/**
 * The window's Privet status bar item: who is signed in and to which experiment cells run in
 * ("Privet: ana · exp-1"; a click runs "Privet: Select Experiment"), or "Privet: Sign In" (a click
 * signs in) when signed out, so neither needs the sidebar open. Follows every session change.
 */
import * as vscode from 'vscode';
import type { SignedIn } from '../session.js';

/** What the item needs of the session. */
export interface StatusSession {
  readonly signedIn: SignedIn | undefined;
  readonly onDidChange: vscode.Event<void>;
  gatewayUrl(): string;
}

/** The item's text, tooltip and command for a session state. */
export interface SessionStatusText {
  text: string;
  tooltip: string;
  command: string;
}

/** What the item says for `signedIn` (undefined: signed out) on gateway `gateway`. */
export function sessionStatusText(
  signedIn: Pick<SignedIn, 'user' | 'experiment'> | undefined,
  gateway: string,
): SessionStatusText {
  if (!signedIn)
    return {
      text: '$(account) Privet: Sign In',
      tooltip: `Privet: not signed in to the gateway at ${gateway}. Click to sign in.`,
      command: 'privet.signIn',
    };
  const experiment = signedIn.experiment ?? 'no experiment';
  return {
    text: `$(beaker) Privet: ${signedIn.user} · ${experiment}`,
    tooltip: signedIn.experiment
      ? `Privet: signed in as ${signedIn.user} at ${gateway}; cells run in experiment ${signedIn.experiment}. Click to select another experiment.`
      : `Privet: signed in as ${signedIn.user} at ${gateway}; no experiment is selected, so cells cannot run. Click to select one.`,
    command: 'privet.selectExperiment',
  };
}

/** The status bar item, kept up to date with the session. */
export class SessionStatusItem implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;
  private readonly subscription: vscode.Disposable;

  /** Creates and shows the item. */
  constructor(private readonly session: StatusSession) {
    this.item = vscode.window.createStatusBarItem('privet.session', vscode.StatusBarAlignment.Left);
    this.item.name = 'Privet Session';
    this.subscription = session.onDidChange(() => this.update());
    this.update();
    this.item.show();
  }

  private update(): void {
    const signedIn = this.session.signedIn;
    let gateway: string;
    try {
      gateway = signedIn?.client.baseUrl ?? this.session.gatewayUrl();
    } catch {
      gateway = 'privet.gatewayUrl (not a valid URL)'; // signing in says what is wrong with it
    }
    const shown = sessionStatusText(signedIn, gateway);
    this.item.text = shown.text;
    this.item.tooltip = shown.tooltip;
    this.item.command = shown.command;
  }

  /** Removes the item and stops listening. */
  dispose(): void {
    this.subscription.dispose();
    this.item.dispose();
  }
}
