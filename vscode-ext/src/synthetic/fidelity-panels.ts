/**
 * The fidelity report tabs: one script-free webview panel per synthetic view, beside the editor.
 * Showing a view's report again reveals its tab and refreshes it rather than opening another; the
 * three gateway calls behind a report show progress (a notification for a new tab, the status bar
 * while an open tab refreshes), and a failed load leaves an open tab as it was.
 */
import * as vscode from 'vscode';
import type { GatewayClient } from '../client/gateway.js';
import { panelIconPath } from '../webview/panel-icon.js';
import { loadFidelityPage } from './commands.js';

/** View type of a fidelity report panel. */
export const FIDELITY_PANEL_TYPE = 'privet.fidelity';

/** The progress title while the report of `view` loads. */
export function fidelityProgressTitle(view: string): string {
  return `Privet: loading the fidelity report of ${view}…`;
}

/** The open fidelity report panels of the window, one per view. */
export class FidelityPanels implements vscode.Disposable {
  private readonly panels = new Map<string, vscode.WebviewPanel>();

  /** Panels get their icon from the extension's media/. */
  constructor(private readonly extensionUri: vscode.Uri) {}

  /** Shows the report of `view`: reveals its open tab (then refreshes it) or opens one once loaded. */
  async show(client: GatewayClient, view: string): Promise<void> {
    const open = this.panels.get(view);
    open?.reveal(undefined, true);
    const html = await vscode.window.withProgress(
      {
        location: open ? vscode.ProgressLocation.Window : vscode.ProgressLocation.Notification,
        title: fidelityProgressTitle(view),
      },
      () => loadFidelityPage(client, view),
    );
    // The tab may have been closed (or opened by another call) while the report loaded.
    const panel = this.panels.get(view) ?? this.create(view);
    panel.webview.html = html;
  }

  private create(view: string): vscode.WebviewPanel {
    const panel = vscode.window.createWebviewPanel(
      FIDELITY_PANEL_TYPE,
      `Fidelity: ${view}`,
      vscode.ViewColumn.Beside,
      { enableScripts: false },
    );
    panel.iconPath = panelIconPath(this.extensionUri);
    this.panels.set(view, panel);
    panel.onDidDispose(() => {
      if (this.panels.get(view) === panel) this.panels.delete(view);
    });
    return panel;
  }

  /** Closes every fidelity report panel. */
  dispose(): void {
    for (const panel of [...this.panels.values()]) panel.dispose();
    this.panels.clear();
  }
}
