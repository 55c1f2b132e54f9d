/**
 * Notifications whose fix is a Privet command carry that command as a button ("Sign In", "Select
 * Experiment"), as VS Code's own notifications do, so the user need not find it in the palette.
 */
import * as vscode from 'vscode';

/** A notification button that runs the Privet command its fix names. */
export interface FixAction {
  /** The button's label: the command's title as the palette lists it. */
  title: string;
  command: string;
}

/** "Sign In" (privet.signIn). */
export const SIGN_IN: FixAction = { title: 'Sign In', command: 'privet.signIn' };

/** "Select Experiment" (privet.selectExperiment). */
export const SELECT_EXPERIMENT: FixAction = {
  title: 'Select Experiment',
  command: 'privet.selectExperiment',
};

/** Shows `text` as a warning with `actions` as buttons; runs the command of the one clicked. */
export async function warnWithFix(text: string, ...actions: FixAction[]): Promise<void> {
  const picked = await vscode.window.showWarningMessage(text, ...actions.map((a) => a.title));
  const action = actions.find((a) => a.title === picked);
  if (action) await vscode.commands.executeCommand(action.command);
}

/**
 * Warns that `what` needs a selected experiment (e.g. "exports are signed per experiment"): signed
 * out, the fix is to sign in (button "Sign In"); signed in, to select one ("Select Experiment").
 */
export function warnNeedsExperiment(signedIn: boolean, what: string): Promise<void> {
  return signedIn
    ? warnWithFix(
        `Privet: ${what}, and no experiment is selected. Fix: select the experiment your cells run in.`,
        SELECT_EXPERIMENT,
      )
    : warnWithFix(
        `Privet: ${what}, and you are not signed in. Fix: sign in, then select an experiment.`,
        SIGN_IN,
      );
}
