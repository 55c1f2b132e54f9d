/**
 * Progress while a picker's list is read from the gateway before the quick pick can open: a
 * spinner and "Privet: listing …" in the status bar, so a slow gateway is not mistaken for a
 * command that did nothing.
 */
import * as vscode from 'vscode';

/** Runs `task` with `title` (e.g. "Privet: listing experiments…") as window progress. */
export function whileLoading<T>(title: string, task: () => Promise<T>): Promise<T> {
  return Promise.resolve(
    vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title }, task),
  );
}
