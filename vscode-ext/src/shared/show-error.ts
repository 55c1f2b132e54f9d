/**
 * A failed command's error notification: what failed, why and the fix (errorText), with a "Show
 * Log" button. Why the log: a notification is cut to a few lines and gone once dismissed, so the
 * same text (and, for an unexpected error, its stack) is written to the "Privet" output channel.
 */
import * as vscode from 'vscode';
import { errorText } from '../client/error-text.js';
import { GatewayError } from '../client/gateway.js';

/** The button of an error notification that opens the "Privet" output channel. */
export const SHOW_LOG = 'Show Log';

/** What the notification needs of the "Privet" output channel. */
export interface ErrorLog {
  error(message: string): void;
  show(preserveFocus?: boolean): void;
}

/** Logs and shows "Privet: <what> failed: <why>. Fix: <fix>"; "Show Log" opens the channel. */
export async function showError(log: ErrorLog, what: string, error: unknown): Promise<void> {
  const text = `Privet: ${what} failed: ${errorText(error)}`;
  // A gateway error says what and the fix; any other is unexpected: its stack helps a bug report.
  const stack =
    error instanceof Error && !(error instanceof GatewayError) ? error.stack : undefined;
  log.error(stack ? `${text}\n${stack}` : text);
  const choice = await vscode.window.showErrorMessage(text, SHOW_LOG);
  if (choice === SHOW_LOG) log.show(true);
}
