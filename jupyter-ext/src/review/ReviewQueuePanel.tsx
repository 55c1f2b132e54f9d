import * as React from 'react';
import { ReactWidget } from '@jupyterlab/ui-components';
import type { Message } from '@lumino/messaging';
import { reviewIcon } from '../icons.js';
import type { PrivetSession } from '../session.js';
import { ReviewQueueApp } from './ReviewQueueApp.js';

/** How often the queue reloads while it is visible. */
export const QUEUE_REFRESH_MS = 5000;

/** The left-sidebar reviewer queue (id `privet-review-queue`). */
export class ReviewQueuePanel extends ReactWidget {
  private tick = 0;
  private timer: ReturnType<typeof setInterval> | undefined;

  /** Creates the queue over the shared session. */
  constructor(private readonly session: PrivetSession) {
    super();
    this.id = 'privet-review-queue';
    this.addClass('jp-Privet-dataPanel');
    this.title.icon = reviewIcon;
    this.title.caption = 'Privet review queue';
  }

  protected override onAfterShow(msg: Message): void {
    super.onAfterShow(msg);
    this.refresh();
    this.timer ??= setInterval(() => this.refresh(), QUEUE_REFRESH_MS);
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

  /** Reloads the queue now. */
  refresh(): void {
    this.tick += 1;
    this.update();
  }

  protected render(): JSX.Element {
    return <ReviewQueueApp session={this.session} tick={this.tick} />;
  }
}
