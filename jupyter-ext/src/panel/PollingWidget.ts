import { ReactWidget } from '@jupyterlab/ui-components';
import type { Message } from '@lumino/messaging';
import { focusFirstControl } from './focus-first.js';

/** How many times activation looks for a first control React has not rendered yet. */
const FOCUS_TRIES = 10;
/** How long it waits between those looks. */
const FOCUS_RETRY_MS = 50;

/**
 * A React sidebar that reloads while it is visible: `tick` grows on every refresh (pass it to the
 * React app so it refetches); polling starts when shown and stops when hidden or disposed.
 * Activating it (e.g. `app.shell.activateById` from a palette command) focuses its first control.
 * `onShown` hears whether it is shown (the shared gateway status is told in a shown panel only).
 */
export abstract class PollingWidget extends ReactWidget {
  /** Grows on every refresh. */
  protected tick = 0;
  private timer: ReturnType<typeof setInterval> | undefined;

  /** Creates a widget that refreshes every `intervalMs` while visible. */
  constructor(
    private readonly intervalMs: number,
    private readonly onShown: (shown: boolean) => void = () => undefined,
  ) {
    super();
  }

  protected override onAfterAttach(msg: Message): void {
    super.onAfterAttach(msg);
    this.onShown(this.isVisible);
  }

  protected override onBeforeDetach(msg: Message): void {
    this.onShown(false);
    super.onBeforeDetach(msg);
  }

  protected override onAfterShow(msg: Message): void {
    super.onAfterShow(msg);
    this.onShown(true);
    this.refresh();
    this.timer ??= setInterval(() => this.refresh(), this.intervalMs);
  }

  protected override onAfterHide(msg: Message): void {
    super.onAfterHide(msg);
    this.onShown(false);
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /**
   * Focuses the first control (focus already inside stays where it is). React renders after the
   * activation when the panel was just shown, so it looks again a few times until one is there.
   */
  protected override onActivateRequest(msg: Message): void {
    super.onActivateRequest(msg);
    let tries = 0;
    const attempt = (): void => {
      // A dialog over the page (e.g. "Switch Privet user?" after a link) keeps focus.
      if (this.isDisposed || !this.node || document.querySelector?.('.jp-Dialog')) return;
      if (focusFirstControl(this.node, () => document.activeElement)) return;
      tries += 1;
      if (tries < FOCUS_TRIES) setTimeout(attempt, FOCUS_RETRY_MS);
    };
    attempt();
  }

  override dispose(): void {
    clearInterval(this.timer);
    super.dispose();
  }

  /** Reloads now. */
  refresh(): void {
    this.tick += 1;
    this.update();
  }
}
