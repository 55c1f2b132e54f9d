import { ReactWidget } from '@jupyterlab/ui-components';
import type { Message } from '@lumino/messaging';

/**
 * A React sidebar that reloads while it is visible: `tick` grows on every refresh (pass it to the
 * React app so it refetches); polling starts when shown and stops when hidden or disposed.
 */
export abstract class PollingWidget extends ReactWidget {
  /** Grows on every refresh. */
  protected tick = 0;
  private timer: ReturnType<typeof setInterval> | undefined;

  /** Creates a widget that refreshes every `intervalMs` while visible. */
  constructor(private readonly intervalMs: number) {
    super();
  }

  protected override onAfterShow(msg: Message): void {
    super.onAfterShow(msg);
    this.refresh();
    this.timer ??= setInterval(() => this.refresh(), this.intervalMs);
  }

  protected override onAfterHide(msg: Message): void {
    super.onAfterHide(msg);
    clearInterval(this.timer);
    this.timer = undefined;
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
