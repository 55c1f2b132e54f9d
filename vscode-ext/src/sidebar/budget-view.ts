/**
 * The "Budget & record" webview view: budget gauges, charges and the experiment record of the
 * current experiment, updated on every session change (sign-in, experiment switch, DP spend).
 * Strict CSP: no inline script, only this extension's media script with a fresh nonce, and
 * localResourceRoots limited to media/. An unexpected failure is written to the "Privet" output
 * channel (its message and stack, never data), which the view's fix and "Show Log" button open.
 */
import * as vscode from 'vscode';
import { Rational } from '@privet/core';
import { perQueryLimitText } from '@privet/core/client/per-query-limit';
import { GatewayError } from '../client/gateway.js';
import type { Session } from '../session.js';
import { logFailure, type ErrorLog } from '../shared/show-error.js';
import type { FromWebview, ToWebview } from './messages.js';
import { webviewHtml } from '../webview/html.js';

/** Id of the webview view in package.json. */
export const BUDGET_VIEW_ID = 'privet.budget';

/** Provider of the budget & record webview. */
export class BudgetViewProvider implements vscode.WebviewViewProvider {
  private view: vscode.WebviewView | undefined;

  /** Creates the provider; it re-renders whenever the session changes; `log` is the "Privet" channel. */
  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly session: Session,
    private readonly log?: ErrorLog,
  ) {
    session.onDidChange(() => void this.update());
  }

  /** Sets up the webview's HTML and message handling. */
  resolveWebviewView(view: vscode.WebviewView): void {
    this.view = view;
    const media = vscode.Uri.joinPath(this.extensionUri, 'media');
    view.webview.options = { enableScripts: true, localResourceRoots: [media] };
    view.webview.html = webviewHtml(view.webview, media, 'budget', 'Privet budget');
    view.webview.onDidReceiveMessage((message: FromWebview) => {
      if (message.type === 'signIn') void vscode.commands.executeCommand('privet.signIn');
      else if (message.type === 'selectExperiment')
        void vscode.commands.executeCommand('privet.selectExperiment');
      else if (message.type === 'showLog') this.log?.show(true);
      else void this.update();
    });
  }

  /** Re-reads the budget from the gateway and posts it to the webview. */
  async update(): Promise<void> {
    if (!this.view) return;
    await this.view.webview.postMessage(await this.state());
  }

  private async state(): Promise<ToWebview> {
    const signedIn = this.session.signedIn;
    if (!signedIn) return { type: 'signedOut' };
    if (!signedIn.experiment) return { type: 'noExperiment', user: signedIn.user };
    try {
      const id = signedIn.experiment;
      const [{ experiments }, budget] = await Promise.all([
        signedIn.client.listExperiments(),
        signedIn.client.budget(id),
      ]);
      const experiment = experiments.find((e) => e.id === id);
      if (!experiment) {
        return {
          type: 'error',
          message: `experiment "${id}" is not visible to you`,
          fix: 'pick another in the Privet tree',
        };
      }
      const chargeEpsilon = budget.charges.map((c) => Rational.from(c.epsilon).toDisplayString());
      const perQuery = budget.budgets.map((b) => perQueryLimitText(b) ?? null);
      return { type: 'state', user: signedIn.user, experiment, budget, chargeEpsilon, perQuery };
    } catch (error) {
      if (error instanceof GatewayError)
        return { type: 'error', message: error.message, fix: error.fix };
      const message = error instanceof Error ? error.message : String(error);
      if (!this.log)
        return { type: 'error', message, fix: 'press Retry; if it fails again, reload the window' };
      logFailure(this.log, 'reading the budget', error);
      return {
        type: 'error',
        message,
        fix: 'press Retry; if it fails again, the details are in the "Privet" output channel (Show Log)',
        showLog: true,
      };
    }
  }
}
