/**
 * Keeps the Privet sidebar (tree and budget) current without the Refresh button: it re-reads the
 * gateway when VS Code's window gets the focus back (a steward may have re-published a view or
 * approved an experiment meanwhile) and every SIDEBAR_REFRESH_MS while the window has the focus.
 * Nothing is read while the window is in the background. The tree tells VS Code only of changes.
 */
import * as vscode from 'vscode';

/** How often the sidebar re-reads the gateway while VS Code's window has the focus. */
export const SIDEBAR_REFRESH_MS = 60_000;

/** Calls `refresh` on regaining the focus and every `intervalMs` while focused; dispose to stop. */
export class SidebarFreshness implements vscode.Disposable {
  private timer: ReturnType<typeof setInterval> | undefined;
  private readonly listener: vscode.Disposable;

  /** Starts following the window's focus. */
  constructor(
    private readonly refresh: () => void,
    private readonly intervalMs = SIDEBAR_REFRESH_MS,
  ) {
    this.listener = vscode.window.onDidChangeWindowState((state) => {
      if (!state.focused) return this.stop();
      if (this.timer) return;
      this.refresh();
      this.start();
    });
    if (vscode.window.state.focused) this.start();
  }

  private start(): void {
    this.timer ??= setInterval(() => this.refresh(), this.intervalMs);
  }

  private stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Stops the timer and the focus listener. */
  dispose(): void {
    this.stop();
    this.listener.dispose();
  }
}
