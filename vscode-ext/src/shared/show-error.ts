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

/** What logging a failure needs of the "Privet" output channel. */
export interface FailureLog {
  error(message: string): void;
}

/** What the notification needs of the "Privet" output channel. */
export interface ErrorLog extends FailureLog {
  show(preserveFocus?: boolean): void;
}

/**
 * Writes "Privet: <what> failed: <why>. Fix: <fix>" to the log (the error's message and, for an
 * unexpected error, its stack: code locations, never data), and returns that text.
 */
export function logFailure(log: FailureLog, what: string, error: unknown): string {
  const text = `Privet: ${what} failed: ${errorText(error)}`;
  // A gateway error says what and the fix; any other is unexpected: its stack helps a bug report.
  const stack =
    error instanceof Error && !(error instanceof GatewayError) ? error.stack : undefined;
  log.error(stack ? `${text}\n${stack}` : text);
  return text;
}

/** Logs and shows "Privet: <what> failed: <why>. Fix: <fix>"; "Show Log" opens the channel. */
export async function showError(log: ErrorLog, what: string, error: unknown): Promise<void> {
  const text = logFailure(log, what, error);
  const choice = await vscode.window.showErrorMessage(text, SHOW_LOG);
  if (choice === SHOW_LOG) log.show(true);
}
